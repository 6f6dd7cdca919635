import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP front benchmark, hub against direct in one run (run it with bench/run, which builds first).
 *
 * <p>{@code http}: a minimal fast MCP server over HTTP (com.sun.net.httpserver, JSON answers, no
 * session; in its own JVM) is called directly, and through {@code switchboard serve} where it is a
 * {@code url:} backend; the hub is called over Streamable HTTP at /mcp with a session (JSON answers).
 * 1. sequential tools/call latency, alternating blocks after a warm-up: p50/p99 each and the
 *    difference; 2. throughput with 16 and 64 concurrent connections (virtual threads on
 *    java.net.http, each with its own hub session), a fixed duration each, hub as % of direct.
 *
 * <p>{@code ws}: memory of the hub with 10,000 idle WebSocket sessions (each connection upgraded by
 * hand, initialized, then idle but answering pings): VmRSS of the hub process, heap used after a
 * full GC ({@code jcmd GC.heap_info}) and its thread count, before and after.
 *
 * <p>System properties: -Dcalls=N -Dwarmup=N -Dseconds=N (per throughput run) -Dsessions=N.
 */
public class HttpBench {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
  static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("server")) {
      backend(Integer.parseInt(args[1]));
      return;
    }
    Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    String what = args.length > 1 ? args[1] : "all";
    if (what.equals("http") || what.equals("all")) {
      http(home);
    }
    if (what.equals("ws") || what.equals("all")) {
      ws(home);
    }
  }

  // ---------------------------------------------------------------- the fast backend

  /** A minimal MCP server over HTTP: initialize, tools/list, tools/call (echo); JSON answers, no session. */
  static void backend(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/mcp", exchange -> {
      try (exchange) {
        if (!exchange.getRequestMethod().equals("POST")) {
          exchange.getResponseHeaders().add("Allow", "POST");
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        JsonNode message = JSON.readTree(exchange.getRequestBody());
        if (!message.has("id") || !message.has("method")) {
          exchange.sendResponseHeaders(202, -1);
          return;
        }
        ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", message.get("id"));
        ObjectNode result = response.putObject("result");
        switch (message.get("method").asText()) {
          case "initialize" -> {
            result.put("protocolVersion", message.path("params").path("protocolVersion").asText("2025-11-25"));
            result.putObject("capabilities").putObject("tools");
            result.putObject("serverInfo").put("name", "bench-backend").put("version", "1");
          }
          case "tools/list" -> {
            ObjectNode tool = result.putArray("tools").addObject();
            tool.put("name", "echo").put("description", "Echoes its arguments");
            tool.putObject("inputSchema").put("type", "object");
          }
          case "tools/call" -> result.putArray("content").addObject().put("type", "text")
              .put("text", "echo " + message.path("params").path("arguments"));
          case "ping" -> { }
          default -> {
            response.remove("result");
            response.putObject("error").put("code", -32601).put("message", "Method not found");
          }
        }
        byte[] body = JSON.writeValueAsBytes(response);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    System.out.println("ready");
  }

  // ---------------------------------------------------------------- http

  static void http(Path home) throws Exception {
    int calls = Integer.getInteger("calls", 20000);
    int warmup = Integer.getInteger("warmup", 5000);
    int seconds = Integer.getInteger("seconds", 10);
    Path work = Files.createTempDirectory("switchboard-httpbench");
    int backendPort = freePort();
    Process backend = startBackend(home, backendPort);
    int hubPort = freePort();
    Path config = work.resolve("bench.yaml");
    Files.writeString(config, """
        listen: 127.0.0.1:%d
        servers:
          bench:
            url: http://127.0.0.1:%d/mcp
            transport: streamable-http
            prefix: bench_
        """.formatted(hubPort, backendPort));
    Process hub = startHub(home, config, work);
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      URI direct = URI.create("http://127.0.0.1:" + backendPort + "/mcp");
      URI viaHub = URI.create("http://127.0.0.1:" + hubPort + "/mcp");
      awaitReady(http, hubPort);

      // 1. sequential latency
      Target d = new Target(http, direct, null, call("echo"));
      String session = session(http, viaHub);
      Target h = new Target(http, viaHub, session, call("bench_echo"));
      // Answered by the hub itself: the HTTP front and session without any backend call.
      Target p = new Target(http, viaHub, session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
      for (int i = 0; i < warmup; i++) {
        d.call();
        h.call();
        p.call();
      }
      long[] directTimes = new long[calls];
      long[] hubTimes = new long[calls];
      int block = 1000;
      for (int start = 0; start < calls; start += block) {
        for (int i = start; i < Math.min(calls, start + block); i++) {
          directTimes[i] = d.call();
        }
        for (int i = start; i < Math.min(calls, start + block); i++) {
          hubTimes[i] = h.call();
        }
      }
      long[] pingTimes = new long[calls];
      for (int i = 0; i < calls; i++) {
        pingTimes[i] = p.call();
      }
      Arrays.sort(pingTimes);
      Arrays.sort(directTimes);
      Arrays.sort(hubTimes);
      double dp50 = pct(directTimes, 50), dp99 = pct(directTimes, 99), hp50 = pct(hubTimes, 50), hp99 = pct(hubTimes, 99);
      System.out.printf("tools/call over HTTP (JSON answers), %d sequential calls each (after %d warm-up):%n", calls, warmup);
      System.out.printf("  direct:      p50 %7.1f us   p99 %7.1f us%n", dp50, dp99);
      System.out.printf("  through hub: p50 %7.1f us   p99 %7.1f us%n", hp50, hp99);
      System.out.printf("  added by the hub: p50 %+.1f us   p99 %+.1f us%n", hp50 - dp50, hp99 - dp99);
      System.out.printf("  (ping answered by the hub itself, no backend: p50 %7.1f us   p99 %7.1f us)%n",
          pct(pingTimes, 50), pct(pingTimes, 99));

      // 2. throughput
      System.out.printf("tools/call throughput, %d s per run after %d s warm-up:%n", seconds, 3);
      long[] pids = {ProcessHandle.current().pid(), hub.pid(), backend.pid()};
      for (int connections : new int[] {16, 64}) {
        Rate directRate = throughput(http, direct, false, "echo", connections, seconds, pids);
        Rate hubRate = throughput(http, viaHub, true, "bench_echo", connections, seconds, pids);
        System.out.printf("  %2d connections: direct %8.0f calls/s   through hub %8.0f calls/s   hub = %.0f %% of direct%n",
            connections, directRate.perSecond(), hubRate.perSecond(), 100 * hubRate.perSecond() / directRate.perSecond());
        System.out.printf("      CPU per call (us): direct: bench client %.0f, backend %.0f;"
            + "  through hub: bench client %.0f, hub %.0f, backend %.0f%n",
            directRate.cpuPerCall()[0], directRate.cpuPerCall()[2],
            hubRate.cpuPerCall()[0], hubRate.cpuPerCall()[1], hubRate.cpuPerCall()[2]);
      }
      System.out.printf("  hub threads now: %d%n", status(hub.pid(), "Threads"));
    } finally {
      stop(hub);
      stop(backend);
    }
  }

  /** One client's way to call: a URI, an optional hub session, a request body. */
  record Target(HttpClient http, URI uri, String session, String body) {
    long call() throws IOException, InterruptedException {
      long t0 = System.nanoTime();
      HttpResponse<String> response = http.send(post(uri, session, body), HttpResponse.BodyHandlers.ofString());
      long elapsed = System.nanoTime() - t0;
      if (response.statusCode() != 200 || !response.body().contains("\"result\"")) {
        throw new IOException("call failed: HTTP " + response.statusCode() + " " + response.body());
      }
      return elapsed;
    }
  }

  static HttpRequest post(URI uri, String session, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      builder.header("Mcp-Session-Id", session);
    }
    return builder.build();
  }

  /** Opens a hub session: initialize (its id from Mcp-Session-Id), then notifications/initialized. */
  static String session(HttpClient http, URI hub) throws IOException, InterruptedException {
    HttpResponse<String> init = http.send(post(hub, null, INIT), HttpResponse.BodyHandlers.ofString());
    String session = init.headers().firstValue("Mcp-Session-Id")
        .orElseThrow(() -> new IOException("no Mcp-Session-Id: HTTP " + init.statusCode() + " " + init.body()));
    http.send(post(hub, session, INITIALIZED), HttpResponse.BodyHandlers.discarding());
    return session;
  }

  static String call(String tool) {
    return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
        + "\",\"arguments\":{\"text\":\"hello\"}}}";
  }

  /** Calls per second, and CPU microseconds per call of each process measured (bench client, hub, backend). */
  record Rate(double perSecond, double[] cpuPerCall) {}

  /** Calls per second with this many connections, each a virtual thread calling in a loop (after a warm-up). */
  static Rate throughput(HttpClient shared, URI uri, boolean hubSession, String tool, int connections, int seconds,
      long[] pids) throws Exception {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      // A client per connection: java.net.http would otherwise pool and share connections freely.
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      targets.add(new Target(http, uri, hubSession ? session(http, uri) : null, call(tool)));
    }
    AtomicBoolean counting = new AtomicBoolean();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong done = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (Target target : targets) {
      threads.add(Thread.ofVirtual().start(() -> {
        while (running.get()) {
          try {
            target.call();
            if (counting.get()) {
              done.incrementAndGet();
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    Thread.sleep(3000); // warm-up (the bench's own pacing, not a test)
    long[] cpu0 = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      cpu0[i] = cpuMicros(pids[i]);
    }
    counting.set(true);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long count = done.get();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double[] cpuPerCall = new double[pids.length];
    for (int i = 0; i < pids.length; i++) {
      cpuPerCall[i] = (cpuMicros(pids[i]) - cpu0[i]) / (double) Math.max(1, count);
    }
    running.set(false);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(30));
    }
    for (Target target : targets) {
      target.http().close();
    }
    if (failures.get() > 0) {
      System.out.printf("  (%d failed calls against %s)%n", failures.get(), uri);
    }
    return new Rate(count / elapsed, cpuPerCall);
  }

  /** User + system CPU time of a process so far, from /proc/PID/stat (clock ticks of 10 ms). */
  static long cpuMicros(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000L;
  }

  // ---------------------------------------------------------------- ws

  static void ws(Path home) throws Exception {
    int sessions = Integer.getInteger("sessions", 10000);
    Path work = Files.createTempDirectory("switchboard-wsbench");
    int hubPort = freePort();
    Path config = work.resolve("bench.yaml");
    Files.writeString(config, """
        listen: 127.0.0.1:%d
        servers:
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        """.formatted(hubPort));
    Process hub = startHub(home, config, work);
    ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      awaitReady(http, hubPort);
      Memory before = memory(hub.pid());
      System.out.printf("hub with %d idle WebSocket sessions (each initialized, answering pings):%n", sessions);
      System.out.printf("  before:  %s%n", before);

      long t0 = System.nanoTime();
      Semaphore connecting = new Semaphore(64);
      CountDownLatch initialized = new CountDownLatch(sessions);
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger pongs = new AtomicInteger();
      AtomicReference<String> firstFailure = new AtomicReference<>();
      for (int i = 0; i < sessions; i++) {
        Thread.ofVirtual().start(() -> {
          Socket socket = null;
          try {
            connecting.acquire();
            try {
              socket = new Socket("127.0.0.1", hubPort);
              open.add(socket);
              upgrade(socket, hubPort);
              writeText(socket.getOutputStream(), INIT);
              readUntilText(socket.getInputStream(), socket.getOutputStream(), pongs);
              writeText(socket.getOutputStream(), INITIALIZED);
            } finally {
              connecting.release();
            }
            initialized.countDown();
            idle(socket, pongs);
          } catch (Exception e) {
            if (socket == null || !socket.isClosed()) {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, e.toString());
              initialized.countDown();
            }
          }
        });
      }
      if (!initialized.await(5, TimeUnit.MINUTES)) {
        throw new IOException("sessions not initialized within 5 minutes");
      }
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("  opened and initialized %d in %.1f s (%d failed%s)%n", sessions - failed.get(), openSeconds,
          failed.get(), firstFailure.get() == null ? "" : ", first: " + firstFailure.get());
      int counted = webSockets(http, hubPort);
      // Idle through more than one keep-alive round (15 s), so the count also shows pings answered.
      Thread.sleep(20_000);
      Memory after = memory(hub.pid());
      System.out.printf("  after:   %s; /health webSockets %d (then %d after 20 s idle, %d pongs sent)%n", after, counted,
          webSockets(http, hubPort), pongs.get());
      System.out.printf("  per session: %.1f KB RSS, %.1f KB heap%n", (after.rssKb - before.rssKb) / (double) sessions,
          (after.heapKb - before.heapKb) / (double) sessions);
      for (Socket socket : open) {
        socket.close();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (webSockets(http, hubPort) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      System.out.printf("  closed:  %s; /health webSockets %d%n", memory(hub.pid()), webSockets(http, hubPort));
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
      stop(hub);
    }
  }

  static int webSockets(HttpClient http, int port) throws IOException, InterruptedException {
    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return JSON.readTree(body).path("checks").path("server").path("webSockets").asInt(-1);
  }

  static void upgrade(Socket socket, int port) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mcp\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection ended during the upgrade");
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
    }
    if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
  }

  /** Reads frames until a text frame (answering pings); returns its text. */
  static String readUntilText(InputStream in, OutputStream out, AtomicInteger pongs) throws IOException {
    while (true) {
      int first = in.read();
      int second = in.read();
      if (first < 0 || second < 0) {
        throw new IOException("connection ended");
      }
      long length = second & 0x7F;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        length = ByteBuffer.wrap(in.readNBytes(8)).getLong();
      }
      byte[] payload = in.readNBytes((int) length);
      switch (first & 0x0F) {
        case 0x1 -> {
          return new String(payload, StandardCharsets.UTF_8);
        }
        case 0x9 -> {
          writeFrame(out, 0xA, payload);
          pongs.incrementAndGet();
        }
        case 0x8 -> throw new IOException("closed by the hub");
        default -> { }
      }
    }
  }

  /** An idle client: reads (answering pings) until the socket is closed. */
  static void idle(Socket socket, AtomicInteger pongs) throws IOException {
    while (true) {
      readUntilText(socket.getInputStream(), socket.getOutputStream(), pongs);
    }
  }

  static void writeText(OutputStream out, String text) throws IOException {
    writeFrame(out, 0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  /** One masked client frame; whole frames only, as pongs and messages may come from two threads. */
  static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    }
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    synchronized (out) {
      out.write(frame.toByteArray());
      out.flush();
    }
  }

  // ---------------------------------------------------------------- processes and measurements

  record Memory(long rssKb, long heapKb, long threads) {
    @Override
    public String toString() {
      return String.format("RSS %.1f MB, heap used after full GC %.1f MB, %d threads", rssKb / 1024.0, heapKb / 1024.0, threads);
    }
  }

  static Memory memory(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    long heap = 0;
    for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
      // G1: one "garbage-first heap" line; Serial/Parallel: one line per generation. Not Metaspace.
      Matcher used = Pattern.compile("used (\\d+)K").matcher(line);
      if (!line.contains("Metaspace") && !line.contains("class space") && used.find()) {
        heap += Long.parseLong(used.group(1));
      }
    }
    return new Memory(status(pid, "VmRSS"), heap, status(pid, "Threads"));
  }

  static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /** A number from /proc/PID/status (VmRSS in kB, Threads). */
  static long status(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  static Process startBackend(Path home, int port) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process backend = new ProcessBuilder(java.toString(), "-cp", home.resolve("target/switchboard.jar").toString(),
        home.resolve("bench/HttpBench.java").toString(), "server", Integer.toString(port))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader reader = new BufferedReader(new InputStreamReader(backend.getInputStream(), StandardCharsets.UTF_8));
    String line = reader.readLine();
    if (!"ready".equals(line)) {
      backend.destroyForcibly();
      throw new IOException("the bench backend did not start: " + line);
    }
    return backend;
  }

  static Process startHub(Path home, Path config, Path work) throws IOException {
    return new ProcessBuilder(home.resolve("bin/switchboard").toString(), "--config", config.toString(),
        "--log-level", "warn", "serve")
        .directory(work.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(work.resolve("hub.log").toFile())
        .start();
  }

  static void awaitReady(HttpClient http, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException("the hub was not ready within 60 s");
  }

  static void stop(Process process) throws InterruptedException {
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
  }
}
