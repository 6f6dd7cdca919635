package dev.switchboard.testing;

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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The hub's HTTP front as a real child process ({@code switchboard --config FILE serve}) on the test
 * class path, listening on a free loopback port. {@link #start} returns once {@code /health/ready}
 * answers 200. Its stderr is kept for assertions, and every process ever seen under it is
 * remembered, so {@link #close} ends them all and a test can check that none survives.
 */
public final class ServeProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final URI baseUri;
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Set<ProcessHandle> seen = new LinkedHashSet<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServeProcess(Process process, URI baseUri) {
    this.process = process;
    this.baseUri = baseUri;
    Thread.ofPlatform().daemon().name("serve-stderr").start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          stderr.add(line);
          if (System.getenv("SWITCHBOARD_TEST_ECHO") != null) {
            System.err.println("[serve] " + line);
          }
        }
      } catch (IOException e) {
        // process gone
      }
    });
  }

  /** Starts the hub on the given YAML (without {@code listen:}, which is added) and waits until it is ready. */
  public static ServeProcess start(Path dir, String yaml) throws IOException {
    return start(dir, yaml, Map.of());
  }

  public static ServeProcess start(Path dir, String yaml, Map<String, String> env, String... jvmOptions) throws IOException {
    int port = NpmTools.freePort();
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, "listen: 127.0.0.1:" + port + "\n" + yaml);
    List<String> command = new ArrayList<>(TestJava.command("dev.switchboard.cli.Main"));
    command.addAll(1, List.of(jvmOptions));
    command.addAll(List.of("--config", config.toString(), "serve"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    ServeProcess serve = new ServeProcess(EndAtExit.register(builder.start()), URI.create("http://127.0.0.1:" + port));
    try {
      serve.awaitReady();
    } catch (RuntimeException | Error e) {
      serve.close();
      throw e;
    }
    return serve;
  }

  private void awaitReady() {
    try {
      Awaitility.await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
        if (!process.isAlive()) {
          throw new AssertionError("the hub exited with " + process.exitValue() + " before it was ready; stderr:\n"
              + String.join("\n", stderr));
        }
        try {
          return get("/health/ready").statusCode() == 200;
        } catch (IOException e) {
          return false; // not listening yet
        }
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("/health/ready did not answer 200 within " + READY_TIMEOUT + "; stderr:\n"
          + String.join("\n", stderr), e);
    }
  }

  /** {@code http://127.0.0.1:PORT}, without a path. */
  public URI baseUri() {
    return baseUri;
  }

  /** {@code ws://127.0.0.1:PORT/ws} plus an optional query ({@code token=…}). */
  public URI webSocketUri(String query) {
    return URI.create("ws://" + baseUri.getAuthority() + "/ws" + (query == null ? "" : "?" + query));
  }

  public Process process() {
    return process;
  }

  /** A GET on the hub (e.g. {@code /health}); the body as a string. */
  public HttpResponse<String> get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(baseUri.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** {@code /health} as JSON, whatever its status. */
  public ObjectNode health() throws IOException {
    return (ObjectNode) Json.parse(get("/health").body());
  }

  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** Waits until some stderr line matches; fails the test at the deadline. */
  public String awaitLog(Predicate<String> matcher, Duration timeout) {
    try {
      return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10))
          .until(() -> stderr.stream().filter(matcher).findFirst().orElse(null), Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no matching hub log line within " + timeout + "; stderr:\n" + String.join("\n", stderr), e);
    }
  }

  /** Every process now under the hub, remembered for {@link #survivors()}. */
  public synchronized Set<ProcessHandle> descendants() {
    process.descendants().forEach(seen::add);
    return Set.copyOf(seen);
  }

  /** Processes the hub started that are still alive. */
  public synchronized List<ProcessHandle> survivors() {
    return seen.stream().filter(ProcessHandle::isAlive).toList();
  }

  /**
   * Ends the hub with SIGTERM (its own shutdown ends its children), waits for it, then kills
   * whatever is left of it and of every process seen under it.
   */
  @Override
  public void close() {
    descendants();
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    synchronized (this) {
      seen.forEach(ProcessHandle::destroyForcibly);
    }
    HttpClients.end(http, Duration.ofSeconds(10));
  }
}
