import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Result-cache benchmark (run it with {@code bench/run cache}, which builds first). One run, same
 * machine, same backend (the demo web server's get_weather over stdio):
 * <ol>
 *   <li>latency, sequential calls (one in flight): the backend called directly (its own time), an
 *       uncached call through the hub, a cache hit through the hub with the memory store, and a hit
 *       with the Redis store (127.0.0.1:6379); p50/p99 each;</li>
 *   <li>throughput, pipelined over one stdio session with a window of requests in flight
 *       ({@code -Dwindow=64}): hits/s with the memory store, with Redis, and uncached calls/s. The
 *       calls cycle through {@value #KEYS} cities, all cached beforehand, so requests in flight
 *       have different keys and each hit is a real store lookup (identical calls in flight would
 *       collapse into one lookup by single-flight, which measures something else).</li>
 * </ol>
 * System properties (via BENCH_OPTS): -Dcalls=N -Dwarmup=N -Dseconds=S -Dwindow=W -Dredis=URI.
 */
public class CacheBench {
  static final int KEYS = 1024;
  static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
  static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    int calls = Integer.getInteger("calls", 20000);
    int warmup = Integer.getInteger("warmup", 20000);
    int seconds = Integer.getInteger("seconds", 5);
    int window = Integer.getInteger("window", 64);
    String redis = System.getProperty("redis", "redis://127.0.0.1:6379");
    Path launcher = home.resolve("bin/switchboard");
    Path work = Files.createTempDirectory("switchboard-cache-bench");

    String servers = """
        servers:
          benchweb:
            command: [switchboard, demo-server, web]
            prefix: web_
          benchraw:
            command: [switchboard, demo-server, web]
            prefix: raw_
        tools:
          web_get_weather: { cache: 1h }
        """;
    Path memoryConfig = work.resolve("memory.yaml");
    Files.writeString(memoryConfig, servers);
    Path redisConfig = work.resolve("redis.yaml");
    Files.writeString(redisConfig, servers + "cache:\n  store: " + redis + "\n");

    List<String> directCommand = new ArrayList<>(dev.switchboard.backend.SelfLauncher.resolve(
        List.of("switchboard", "demo-server", "web")));
    Peer direct = Peer.start(new ProcessBuilder(directCommand).directory(work.toFile()));
    Peer memory = Peer.start(new ProcessBuilder(launcher.toString(), "--config", memoryConfig.toString(),
        "--log-level", "warn", "stdio").directory(work.toFile()));
    Peer onRedis = Peer.start(new ProcessBuilder(launcher.toString(), "--config", redisConfig.toString(),
        "--log-level", "warn", "stdio").directory(work.toFile()));

    String directCall = call("get_weather", 1);
    String uncached = call("raw_get_weather", 1);
    String hit = call("web_get_weather", 1);
    // Fill the caches; the Redis store needs its connection first.
    memory.roundTrip(hit);
    awaitHit(onRedis, hit);

    for (int k = 0; k < KEYS; k++) {
      memory.roundTrip(call("web_get_weather", 1, "c" + k));
      onRedis.roundTrip(call("web_get_weather", 1, "c" + k));
    }
    for (int i = 0; i < warmup; i++) {
      direct.roundTrip(directCall);
      memory.roundTrip(uncached);
      memory.roundTrip(hit);
      onRedis.roundTrip(hit);
    }
    long[] directTimes = new long[calls];
    long[] uncachedTimes = new long[calls];
    long[] memoryTimes = new long[calls];
    long[] redisTimes = new long[calls];
    int block = 1000;
    for (int start = 0; start < calls; start += block) {
      int end = Math.min(calls, start + block);
      for (int i = start; i < end; i++) {
        directTimes[i] = direct.roundTrip(directCall);
      }
      for (int i = start; i < end; i++) {
        uncachedTimes[i] = memory.roundTrip(uncached);
      }
      for (int i = start; i < end; i++) {
        memoryTimes[i] = memory.roundTrip(hit);
      }
      for (int i = start; i < end; i++) {
        redisTimes[i] = onRedis.roundTrip(hit);
      }
    }
    System.out.printf("tools/call latency over stdio, %d sequential calls each (after %d warm-up):%n", calls, warmup);
    report("backend directly (its own time)", directTimes);
    report("through the hub, uncached", uncachedTimes);
    report("through the hub, hit (memory)", memoryTimes);
    report("through the hub, hit (Redis)", redisTimes);

    System.out.printf("tools/call throughput, pipelined over one stdio session, %d in flight, %d s each:%n", window, seconds);
    for (int round = 0; round < 2; round++) { // the first round warms the pipelined path up
      double memoryRate = memory.throughput("web_get_weather", window, seconds);
      double memoryHits = memory.lastHitShare;
      double redisRate = onRedis.throughput("web_get_weather", window, seconds);
      double redisHits = onRedis.lastHitShare;
      double uncachedRate = memory.throughput("raw_get_weather", window, seconds);
      if (round == 1) {
        System.out.printf("  hits (memory): %,10.0f calls/s   (%.1f%% answered from the cache)%n", memoryRate, 100 * memoryHits);
        System.out.printf("  hits (Redis):  %,10.0f calls/s   (%.1f%% answered from the cache)%n", redisRate, 100 * redisHits);
        System.out.printf("  uncached:      %,10.0f calls/s%n", uncachedRate);
      }
    }
    direct.close();
    memory.close();
    onRedis.close();
  }

  static void awaitHit(Peer peer, String request) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      peer.send(request);
      if (peer.read().contains("\"hit\":true")) {
        return;
      }
      Thread.sleep(100); // benchmark setup: waiting for the hub's Redis connection
    }
    throw new IllegalStateException("no cache hit through the Redis store within 20 s (is Redis up?)");
  }

  static void report(String what, long[] times) {
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    System.out.printf("  %-34s p50 %7.1f us   p99 %7.1f us%n", what + ":", pct(sorted, 50), pct(sorted, 99));
  }

  static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
  }

  static String call(String tool, long id) {
    return call(tool, id, "Oslo");
  }

  static String call(String tool, long id, String city) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
        + "\",\"arguments\":{\"city\":\"" + city + "\"}}}";
  }

  /** One stdio MCP peer, initialized: sequential round trips, or a pipelined run with a window in flight. */
  static final class Peer {
    final Process process;
    final OutputStream out;
    final InputStream in;
    final byte[] buffer = new byte[1 << 16];
    int start;
    int end;
    long nextId = 1_000;

    private Peer(Process process) {
      this.process = process;
      this.out = process.getOutputStream();
      this.in = new BufferedInputStream(process.getInputStream(), 1 << 16);
    }

    static Peer start(ProcessBuilder builder) throws IOException {
      Peer peer = new Peer(builder.redirectError(ProcessBuilder.Redirect.DISCARD).start());
      peer.send(INIT);
      peer.read();
      peer.send(INITIALIZED);
      return peer;
    }

    void send(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** The next line that is a response (notifications skipped). */
    String read() throws IOException {
      String line;
      while ((line = readLine()) != null) {
        if (line.contains("\"id\"")) {
          return line;
        }
      }
      throw new IOException("peer ended");
    }

    String readLine() throws IOException {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1) {
        if (c == '\n') {
          return line.toString();
        }
        line.append((char) c);
      }
      return line.isEmpty() ? null : line.toString();
    }

    long roundTrip(String request) throws IOException {
      long t0 = System.nanoTime();
      send(request);
      String answer = read();
      long elapsed = System.nanoTime() - t0;
      if (!answer.contains("\"result\"") || answer.contains("\"isError\":true")) {
        throw new IOException("call failed: " + answer);
      }
      return elapsed;
    }

    /** Calls per second with {@code window} requests in flight for {@code seconds}; every id unique. */
    double throughput(String tool, int window, int seconds) throws Exception {
      Semaphore permits = new Semaphore(window);
      AtomicLong answered = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicLong hits = new AtomicLong();
      long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      byte[] prefix = "{\"jsonrpc\":\"2.0\",\"id\":".getBytes(StandardCharsets.UTF_8);
      byte[] middle = (",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
          + "\",\"arguments\":{\"city\":\"c").getBytes(StandardCharsets.UTF_8);
      byte[] suffix = "\"}}}\n".getBytes(StandardCharsets.UTF_8);
      long[] sent = {0};
      Thread reader = Thread.ofPlatform().name("bench-reader").start(() -> {
        try {
          while (true) {
            String line = readLine();
            if (line == null) {
              return;
            }
            if (line.contains("\"id\":\"stop\"")) {
              return;
            }
            if (!line.contains("\"id\"")) {
              continue;
            }
            if (!line.contains("\"result\"")) {
              failed.incrementAndGet();
            } else if (line.contains("\"hit\":true")) {
              hits.incrementAndGet();
            }
            answered.incrementAndGet();
            permits.release();
          }
        } catch (IOException e) {
          // ended
        }
      });
      long t0 = System.nanoTime();
      java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream(64 * 1024);
      while (System.nanoTime() < stopAt) {
        permits.acquire();
        int more = permits.drainPermits();
        batch.reset();
        for (int i = 0; i <= more; i++) {
          long id = nextId++;
          batch.write(prefix);
          batch.write(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
          batch.write(middle);
          batch.write(Long.toString(id % KEYS).getBytes(StandardCharsets.US_ASCII));
          batch.write(suffix);
          sent[0]++;
        }
        out.write(batch.toByteArray());
        out.flush();
      }
      while (answered.get() < sent[0]) {
        Thread.onSpinWait();
      }
      long elapsed = System.nanoTime() - t0;
      // A ping with a marker id ends the reader, so the next measurement reads its own answers.
      send("{\"jsonrpc\":\"2.0\",\"id\":\"stop\",\"method\":\"ping\"}");
      reader.join();
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " of " + sent[0] + " pipelined calls failed");
      }
      lastHitShare = hits.get() / (double) sent[0];
      return sent[0] / (elapsed / 1e9);
    }

    /** The share of answers of the last pipelined run that were cache hits. */
    double lastHitShare;

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
