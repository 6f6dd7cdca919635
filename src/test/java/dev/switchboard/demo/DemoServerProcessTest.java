package dev.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each demo server as a real child process: {@code java -cp … dev.switchboard.demo.DemoServers KIND}. */
class DemoServerProcessTest {
  /** Generous: a cold JVM on a busy CI machine. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"database", "files", "web"})
  void demoServerAnswersOverStdioAndExitsWhenStdinCloses(String kind) throws Exception {
    List<String> args = switch (kind) {
      case "database" -> List.of("--db", dir.resolve("demo.db").toString());
      case "files" -> List.of("--root", dir.toString());
      default -> List.of();
    };
    ObjectNode call = switch (kind) {
      case "database" -> InProcessServer.toolCall("query", Json.object().put("sql", "SELECT count(*) AS n FROM customers"));
      case "files" -> InProcessServer.toolCall("read_file", Json.object().put("path", "hello.txt"));
      default -> InProcessServer.toolCall("get_weather", Json.object().put("city", "Paris"));
    };
    Files.writeString(dir.resolve("hello.txt"), "hi from the sandbox");

    Child child = Child.start(kind, args, dir);
    try {
      JsonNode init = child.request(1, "initialize", Json.object().put("protocolVersion", "2025-11-25")
          .<ObjectNode>set("capabilities", Json.object())
          .set("clientInfo", Json.object().put("name", "process-test").put("version", "1")));
      child.send(JsonRpc.notification("notifications/initialized", null));
      JsonNode tools = child.request(2, "tools/list", Json.object());
      JsonNode result = child.request(3, "tools/call", call);

      assertThat(init.at("/result/serverInfo/name").asText()).isEqualTo("switchboard-demo-" + kind);
      assertThat(init.at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
      assertThat(tools.at("/result/tools").size()).isEqualTo(2);
      assertThat(result.at("/result/isError").asBoolean()).as("result %s", result).isFalse();
      switch (kind) {
        case "database" -> assertThat(result.at("/result/structuredContent/rows/0/0").asInt()).isEqualTo(15);
        case "files" -> assertThat(result.at("/result/content/0/text").asText()).isEqualTo("hi from the sandbox");
        default -> assertThat(result.at("/result/structuredContent/synthetic").asBoolean()).isTrue();
      }

      child.process.getOutputStream().close();

      assertThat(child.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("exited within %s after stdin closed; stderr:\n%s", TIMEOUT, child.stderr()).isTrue();
      assertThat(child.process.exitValue()).as("exit code; stderr:\n%s", child.stderr()).isZero();
      child.stdoutReader.join(TIMEOUT);
      assertThat(child.stdoutLines).as("every stdout line is a JSON-RPC message").allSatisfy(line -> {
        JsonNode message = Json.parse(line);
        assertThat(message.isObject()).isTrue();
        assertThat(Json.text(message, "jsonrpc")).isEqualTo("2.0");
      });
      assertThat(child.stdoutLines).hasSize(3);
    } finally {
      child.destroy();
    }
  }

  @Test
  void anUnknownKindExitsWithCodeTwoAndSaysWhyOnStderr() throws Exception {
    Child child = Child.start("nope", List.of(), dir);
    try {
      assertThat(child.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      child.stderrReader.join(TIMEOUT);

      assertThat(child.process.exitValue()).isEqualTo(2);
      assertThat(child.stderr()).contains("switchboard demo-server: unknown demo server 'nope'; expected one of database, files, web");
      child.stdoutReader.join(TIMEOUT);
      assertThat(child.stdoutLines).isEmpty();
    } finally {
      child.destroy();
    }
  }

  /** A demo server child process with its stdout read line by line and its stderr kept for messages. */
  private static final class Child {
    final Process process;
    final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    final List<String> stdoutLines = Collections.synchronizedList(new ArrayList<>());
    final StringBuffer stderr = new StringBuffer();
    final Thread stdoutReader;
    final Thread stderrReader;

    private Child(Process process) {
      this.process = process;
      stdoutReader = Thread.ofVirtual().name("child-stdout").start(() -> readLines(process.getInputStream(), line -> {
        stdoutLines.add(line);
        stdout.add(line);
      }));
      stderrReader = Thread.ofVirtual().name("child-stderr").start(
          () -> readLines(process.getErrorStream(), line -> stderr.append(line).append('\n')));
    }

    static Child start(String kind, List<String> args, Path dir) throws IOException {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED",
          "-cp", System.getProperty("java.class.path"),
          DemoServers.class.getName(), kind));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString()); // never the developer's own cache
      builder.environment().remove("DB_URL");
      builder.environment().remove("SWITCHBOARD_FILES_ROOT");
      return new Child(builder.start());
    }

    void send(JsonNode message) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write((Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    /** Sends a request and waits for its response (the demo requests here get no notifications). */
    JsonNode request(int id, String method, JsonNode params) throws IOException, InterruptedException {
      send(JsonRpc.request(IntNode.valueOf(id), method, params));
      String line = stdout.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        return fail("no answer to %s within %s; alive=%s; stderr:\n%s", method, TIMEOUT, process.isAlive(), stderr());
      }
      JsonNode response = Json.parse(line);
      assertThat(response.get("id").asInt()).as("id of the answer to %s: %s", method, line).isEqualTo(id);
      return response;
    }

    String stderr() {
      return stderr.toString();
    }

    void destroy() throws InterruptedException {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void readLines(InputStream stream, Consumer<String> sink) {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          sink.accept(line);
        }
      } catch (IOException e) {
        // the process was destroyed: nothing more to read
      }
    }
  }
}
