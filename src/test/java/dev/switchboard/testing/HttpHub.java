package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The hub as a child process in {@code serve} mode on a free loopback port, with a small HTTP
 * client for tests. Waits for {@code /health/ready}; ends the hub and everything under it on close.
 */
public final class HttpHub implements AutoCloseable {
  private final Process process;
  private final URI base;
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Set<ProcessHandle> seen = new LinkedHashSet<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpHub(Process process, URI base) {
    this.process = process;
    this.base = base;
    Thread.ofPlatform().daemon().name("hub-stderr").start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          stderr.add(line);
        }
      } catch (IOException e) {
        // gone
      }
    });
  }

  /** Starts {@code serve} with {@code yaml} plus a {@code listen:} line on a free port. */
  public static HttpHub start(Path dir, String yaml, Map<String, String> env) throws IOException {
    int port = NpmTools.freePort();
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, "listen: 127.0.0.1:" + port + "\n" + yaml);
    List<String> command = new ArrayList<>(TestJava.command("dev.switchboard.cli.Main"));
    command.addAll(List.of("--config", config.toString(), "serve"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    HttpHub hub = new HttpHub(EndAtExit.register(builder.start()), URI.create("http://127.0.0.1:" + port));
    try {
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
        if (!hub.process.isAlive()) {
          throw new AssertionError("the hub exited: " + String.join("\n", hub.stderr));
        }
        try {
          return hub.get("/health/ready", Map.of()).statusCode() == 200;
        } catch (IOException e) {
          return false;
        }
      });
    } catch (RuntimeException | Error e) {
      hub.close();
      throw e;
    }
    return hub;
  }

  public URI base() {
    return base;
  }

  public Process process() {
    return process;
  }

  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  public HttpResponse<String> get(String path, Map<String, String> headers) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    headers.forEach(request::header);
    return send(request.build());
  }

  /** POSTs a body to /mcp with the given headers (the standard Accept and Content-Type unless overridden). */
  public HttpResponse<String> post(String body, Map<String, String> headers) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/mcp")).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!headers.containsKey("Accept")) {
      request.header("Accept", "application/json, text/event-stream");
    }
    if (!headers.containsKey("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    return send(request.build());
  }

  /** POSTs to /mcp and returns the answer as a stream, to read SSE events as they come. */
  public HttpResponse<java.io.InputStream> postStreaming(String body, Map<String, String> headers) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/mcp")).timeout(Duration.ofSeconds(60))
        .header("Accept", "application/json, text/event-stream").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Initializes a session and returns its id. */
  public String initialize() throws IOException {
    return initialize("{}");
  }

  /** Initializes a session declaring the given client capabilities (JSON) and returns its id. */
  public String initialize(String capabilities) throws IOException {
    return initialize(capabilities, Map.of());
  }

  /** Initializes a session with extra headers (such as {@code Authorization}) and returns its id. */
  public String initialize(String capabilities, Map<String, String> headers) throws IOException {
    HttpResponse<String> response = post("""
        {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":%s,
         "clientInfo":{"name":"http-test","version":"1"}}}""".formatted(capabilities), headers);
    if (response.statusCode() != 200) {
      throw new AssertionError("initialize answered " + response.statusCode() + ": " + response.body());
    }
    String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    Map<String, String> withSession = new java.util.HashMap<>(headers);
    withSession.put("Mcp-Session-Id", session);
    post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", withSession);
    return session;
  }

  /** Sends a request with the given method and headers to a path of the hub (admin endpoints). */
  public HttpResponse<String> request(String method, String path, Map<String, String> headers) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return send(request.build());
  }

  /** The JSON-RPC messages in a response body: one JSON document, or the data of each SSE event. */
  public static List<ObjectNode> messages(HttpResponse<String> response) {
    List<ObjectNode> messages = new ArrayList<>();
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (type.startsWith("text/event-stream")) {
      for (String event : response.body().split("\n\n")) {
        StringBuilder data = new StringBuilder();
        for (String line : event.split("\n")) {
          if (line.startsWith("data:")) {
            data.append(line.substring(5).trim());
          }
        }
        if (!data.isEmpty()) {
          messages.add((ObjectNode) Json.parse(data.toString()));
        }
      }
    } else if (!response.body().isEmpty()) {
      JsonNode parsed = Json.parse(response.body());
      messages.add((ObjectNode) parsed);
    }
    return messages;
  }

  /** Every process now under the hub, remembered so a test can check that none survives it. */
  public synchronized Set<ProcessHandle> descendants() {
    process.descendants().forEach(seen::add);
    return Set.copyOf(seen);
  }

  public synchronized List<ProcessHandle> survivors() {
    return seen.stream().filter(ProcessHandle::isAlive).toList();
  }

  @Override
  public void close() {
    descendants();
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    seen.forEach(ProcessHandle::destroyForcibly);
  }
}
