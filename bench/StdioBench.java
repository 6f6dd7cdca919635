import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stdio benchmark, hub against direct in one run (run it with bench/run, which builds first):
 * 1. start-up: process start of `bin/switchboard stdio` (built-in demo config) to the initialize
 *    answer read by the client, median of 10 runs;
 * 2. tools/call latency: the demo web backend's get_weather called directly over its stdio, and the
 *    same backend called through the hub, in alternating blocks after a warm-up; p50/p99 each and the
 *    difference ("added by the hub").
 */
public class StdioBench {
  static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
  static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    int calls = Integer.parseInt(System.getProperty("calls", "20000"));
    int warmup = Integer.parseInt(System.getProperty("warmup", "5000"));
    Path launcher = home.resolve("bin/switchboard");
    Path work = Files.createTempDirectory("switchboard-bench");

    // 1. start-up
    long[] startups = new long[10];
    for (int i = 0; i < startups.length; i++) {
      long t0 = System.nanoTime();
      Process hub = new ProcessBuilder(launcher.toString(), "stdio").directory(work.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Peer peer = new Peer(hub);
      peer.send(INIT);
      peer.read();
      startups[i] = System.nanoTime() - t0;
      peer.close();
    }
    Arrays.sort(startups);
    System.out.printf("stdio start-up (process start -> initialize answered), median of 10: %.0f ms (min %.0f, max %.0f)%n",
        startups[5] / 1e6, startups[0] / 1e6, startups[9] / 1e6);

    // 2. latency: direct vs through the hub, same backend
    Path config = work.resolve("bench.yaml");
    Files.writeString(config, "servers:\n  web:\n    command: [switchboard, demo-server, web]\n    prefix: web_\n");
    // The direct backend runs exactly as the hub runs it ([switchboard, demo-server, web] in a config).
    List<String> directCommand = new ArrayList<>(dev.switchboard.backend.SelfLauncher.resolve(
        List.of("switchboard", "demo-server", "web")));
    Process direct = new ProcessBuilder(directCommand).directory(work.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Process hub = new ProcessBuilder(launcher.toString(), "--config", config.toString(), "--log-level", "warn", "stdio")
        .directory(work.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Peer d = new Peer(direct);
    Peer h = new Peer(hub);
    for (Peer p : List.of(d, h)) {
      p.send(INIT);
      p.read();
      p.send(INITIALIZED);
    }
    String directCall = call("get_weather");
    String hubCall = call("web_get_weather");
    for (int i = 0; i < warmup; i++) {
      d.roundTrip(directCall);
      h.roundTrip(hubCall);
    }
    long[] directTimes = new long[calls];
    long[] hubTimes = new long[calls];
    int block = 1000;
    for (int start = 0; start < calls; start += block) {
      for (int i = start; i < Math.min(calls, start + block); i++) {
        directTimes[i] = d.roundTrip(directCall);
      }
      for (int i = start; i < Math.min(calls, start + block); i++) {
        hubTimes[i] = h.roundTrip(hubCall);
      }
    }
    Arrays.sort(directTimes);
    Arrays.sort(hubTimes);
    double dp50 = pct(directTimes, 50), dp99 = pct(directTimes, 99), hp50 = pct(hubTimes, 50), hp99 = pct(hubTimes, 99);
    System.out.printf("tools/call over stdio, %d sequential calls each (after %d warm-up):%n", calls, warmup);
    System.out.printf("  direct:      p50 %7.1f us   p99 %7.1f us%n", dp50, dp99);
    System.out.printf("  through hub: p50 %7.1f us   p99 %7.1f us%n", hp50, hp99);
    System.out.printf("  added by the hub: p50 %+.1f us   p99 %+.1f us%n", hp50 - dp50, hp99 - dp99);
    d.close();
    h.close();
  }

  static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
  }

  static String call(String tool) {
    return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
        + "\",\"arguments\":{\"city\":\"Oslo\"}}}";
  }

  /** One stdio MCP peer: write a line, read lines until a response (skipping notifications). */
  static final class Peer {
    final Process process;
    final OutputStream out;
    final BufferedReader in;

    Peer(Process process) {
      this.process = process;
      this.out = process.getOutputStream();
      this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    void send(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    String read() throws IOException {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.contains("\"id\"")) {
          return line;
        }
      }
      throw new IOException("peer ended");
    }

    long roundTrip(String request) throws IOException {
      long t0 = System.nanoTime();
      send(request);
      String answer = read();
      long elapsed = System.nanoTime() - t0;
      if (!answer.contains("\"result\"")) {
        throw new IOException("call failed: " + answer);
      }
      return elapsed;
    }

    void close() throws InterruptedException {
      try {
        out.close();
      } catch (IOException e) {
        // gone
      }
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }
}
