package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.McpLineClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/switchboard on the packaged jar, as a user runs it (runs after package, in verify). */
class LauncherIT {
  private static final Path HOME = Path.of(System.getProperty("switchboard.home", ".")).toAbsolutePath();

  @TempDir
  Path dir;

  /** Output and exit code of one launcher run. */
  record Run(int exit, String stdout, String stderr) {}

  private Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(HOME.resolve("bin/switchboard").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("launcher exited").isTrue();
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void theLauncherFindsAJdk21EvenWhenJavaHomePointsAtAnOlderOne() throws Exception {
    String old = Files.isDirectory(Path.of("/usr/lib/jvm/java-17-openjdk-amd64")) ? "/usr/lib/jvm/java-17-openjdk-amd64" : "/nonexistent";
    Run run = run(Map.of("JAVA_HOME", old), "--version");
    assertThat(run.exit()).isZero();
    assertThat(run.stdout()).startsWith("switchboard ").contains("Java ");
  }

  @Test
  void helpListsTheCommands() throws Exception {
    Run run = run(Map.of(), "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.stdout()).contains("serve", "stdio", "check", "demo-server", "--config");
  }

  @Test
  void everyCommandHasHelpAndUsageErrorsExitTwo() throws Exception {
    Run help = run(Map.of(), "stdio", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.stdout()).contains("Usage: switchboard stdio", "--config=FILE", "Serve one MCP client");
    Run topic = run(Map.of(), "help", "demo-server");
    assertThat(topic.exit()).isZero();
    assertThat(topic.stdout()).contains("Usage: switchboard demo-server", "KIND", "--root=DIR");
    Run missing = run(Map.of(), "demo-server");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.stderr()).contains("Missing required parameter: 'KIND'");
    Run unknown = run(Map.of(), "bogus");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("Unmatched argument at index 0: 'bogus'");
  }

  @Test
  void checkPrintsEveryProblemWithItsPositionAndExitsOne() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, """
        servers:
          db:
            comand: [node, server.js]
            prefix: db_
        hub:
          request_timeout: soon
        """);
    Run run = run(Map.of(), "--config", config.toString(), "check");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.stdout()).contains(config + ":3:5: unknown key 'comand' in servers.db; did you mean 'command'?");
    assertThat(run.stdout()).contains(config + ":6:20: invalid duration 'soon' for hub.request_timeout");
  }

  @Test
  void checkAcceptsAGoodConfig() throws Exception {
    Path config = dir.resolve("good.yaml");
    Files.writeString(config, "servers:\n  web:\n    command: [switchboard, demo-server, web]\n    prefix: web_\n");
    Run run = run(Map.of(), "--config", config.toString(), "check");
    assertThat(run.exit()).isZero();
    assertThat(run.stdout()).contains("OK");
  }

  @Test
  void stdioServesTheBuiltInDemoConfigWhenThereIsNoConfigFile() throws Exception {
    Process hub = new ProcessBuilder(HOME.resolve("bin/switchboard").toString(), "stdio").directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (McpLineClient client = new McpLineClient(hub.getInputStream(), hub.getOutputStream())) {
      client.initialize();
      ObjectNode list = client.result("tools/list", Json.object());
      List<String> names = new ArrayList<>();
      list.get("tools").forEach(tool -> names.add(tool.get("name").asText()));
      assertThat(names).containsExactly(
          "db_query", "db_list_tables", "files_read_file", "files_list_files", "web_get_weather", "web_stream_logs");
    } finally {
      assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();
      hub.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    assertThat(hub.exitValue()).isZero();
  }

  @Test
  void aMissingConfigFileIsAClearError() throws IOException, Exception {
    Run run = run(Map.of(), "--config", dir.resolve("nope.yaml").toString(), "stdio");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.stderr()).contains("nope.yaml").contains("cannot read the config file");
    assertThat(run.stdout()).isEmpty();
  }
}
