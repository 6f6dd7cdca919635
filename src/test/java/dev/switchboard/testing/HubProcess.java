package dev.switchboard.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.function.Predicate;

/**
 * The hub as a real child process ({@code switchboard --config FILE stdio}) on the test class path,
 * with a line client on its stdin/stdout and its stderr kept for assertions. Every process it ever
 * saw under the hub is remembered, so a test can check that none survives the hub.
 */
public final class HubProcess implements AutoCloseable {
  private final Process process;
  private final McpLineClient client;
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Set<ProcessHandle> seen = new LinkedHashSet<>();

  private HubProcess(Process process) {
    this.process = process;
    this.client = new McpLineClient(process.getInputStream(), process.getOutputStream());
    Thread.ofPlatform().daemon().name("hub-stderr").start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          stderr.add(line);
          if (System.getenv("SWITCHBOARD_TEST_ECHO") != null) {
            System.err.println("[hub] " + line);
          }
        }
      } catch (IOException e) {
        // process gone
      }
    });
  }

  /** Starts the hub on the given YAML (written to {@code dir/switchboard.yaml}). */
  public static HubProcess start(Path dir, String yaml, String... extraArgs) throws IOException {
    return start(dir, yaml, Map.of(), extraArgs);
  }

  public static HubProcess start(Path dir, String yaml, Map<String, String> env, String... extraArgs) throws IOException {
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, yaml);
    List<String> command = new ArrayList<>(TestJava.command("dev.switchboard.cli.Main"));
    command.add("--config");
    command.add(config.toString());
    command.addAll(List.of(extraArgs));
    command.add("stdio");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    return new HubProcess(builder.start());
  }

  /** A command line that runs the fake backend, for a server's {@code command:} in YAML flow style. */
  public static String fakeBackend(String... args) {
    List<String> command = new ArrayList<>(TestJava.command(FakeBackend.class.getName()));
    command.addAll(List.of(args));
    return yamlList(command);
  }

  /** A list of strings in YAML flow style, each double-quoted: {@code ["a", "b c"]}. */
  public static String yamlList(List<String> items) {
    StringBuilder yaml = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      yaml.append(i == 0 ? "" : ", ").append('"').append(items.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return yaml.append(']').toString();
  }

  public McpLineClient client() {
    return client;
  }

  public Process process() {
    return process;
  }

  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** Waits until some stderr line matches; fails the test at the deadline. */
  public String awaitLog(Predicate<String> matcher, Duration timeout) {
    try {
      return org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10))
          .until(() -> stderr.stream().filter(matcher).findFirst().orElse(null), java.util.Objects::nonNull);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
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

  /** Closes stdin and waits for the hub to exit; kills it (and fails) if it does not. */
  public int stop(Duration timeout) throws InterruptedException {
    descendants();
    client.close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError("the hub did not exit within " + timeout + " after stdin closed; stderr:\n"
          + String.join("\n", stderr));
    }
    return process.exitValue();
  }

  private void kill() {
    descendants();
    process.destroyForcibly();
    seen.forEach(ProcessHandle::destroyForcibly);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    seen.forEach(ProcessHandle::destroyForcibly);
  }
}
