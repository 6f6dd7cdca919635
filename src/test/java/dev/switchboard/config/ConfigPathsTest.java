package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relative paths in a config file are resolved against the file's directory, not the working directory. */
class ConfigPathsTest {
  @TempDir
  Path dir;

  @Test
  void relativeCommandAndCwdAreResolvedAgainstTheConfigDirectory() throws Exception {
    Path configDir = Files.createDirectories(dir.resolve("conf"));
    Path file = configDir.resolve("switchboard.yaml");
    Files.writeString(file, """
        servers:
          local:   { command: [./bin/server, --flag], cwd: work }
          parent:  { command: [../tools/run.sh], cwd: ../data/./x }
          bare:    { command: [node, ./server.js] }
          launcher: { command: [switchboard, demo-server, files] }
          absolute: { command: [/usr/bin/env, python3], cwd: /tmp }
          desktop: { command: scripts/start.sh, args: [a] }
        auth: { jwt: { jwks_file: keys/jwks.json, issuer: me } }
        audit: { file: logs/audit.log }
        """);

    SwitchboardConfig config = ConfigLoader.load(file, Map.of());

    Map<String, ServerConfig> servers = config.servers();
    assertThat(servers.get("local").command()).containsExactly(configDir.resolve("bin/server").toString(), "--flag");
    assertThat(servers.get("local").cwd()).isEqualTo(configDir.resolve("work"));
    assertThat(servers.get("parent").command()).containsExactly(dir.resolve("tools/run.sh").toString());
    assertThat(servers.get("parent").cwd()).isEqualTo(dir.resolve("data/x"));
    assertThat(servers.get("bare").command()).as("only command[0] is a program path")
        .containsExactly("node", "./server.js");
    assertThat(servers.get("launcher").command()).containsExactly("switchboard", "demo-server", "files");
    assertThat(servers.get("absolute").command()).containsExactly("/usr/bin/env", "python3");
    assertThat(servers.get("absolute").cwd()).isEqualTo(Path.of("/tmp"));
    assertThat(servers.get("desktop").command()).containsExactly(configDir.resolve("scripts/start.sh").toString(), "a");
    assertThat(config.auth().jwt().jwksFile()).isEqualTo(configDir.resolve("keys/jwks.json"));
    assertThat(config.audit().file()).isEqualTo(configDir.resolve("logs/audit.log"));
    assertThat(servers.values()).allSatisfy(server -> {
      assertThat(Path.of(server.command().get(0)).isAbsolute() || !server.command().get(0).contains("/")).isTrue();
      assertThat(server.cwd() == null || server.cwd().isAbsolute()).isTrue();
    });
  }

  @Test
  void relativePathsOfAConfigWithoutAFileAreResolvedAgainstTheWorkingDirectory() throws Exception {
    SwitchboardConfig config = ConfigLoader.parse("servers: { a: { command: [bin/a], cwd: data } }", "text", null,
        Map.of());

    Path workingDir = Path.of("").toAbsolutePath();
    assertThat(config.baseDirectory()).isEqualTo(workingDir);
    assertThat(config.servers().get("a").command()).containsExactly(workingDir.resolve("bin/a").toString());
    assertThat(config.servers().get("a").cwd()).isEqualTo(workingDir.resolve("data"));
  }

  @Test
  void configFileGivenByARelativePathResolvesAgainstItsOwnDirectory() throws Exception {
    Path workingDir = Path.of("").toAbsolutePath();
    Path file = Files.writeString(dir.resolve("switchboard.yaml"), "servers: { a: { command: [./a] } }\n");
    Path relative = workingDir.relativize(file);

    SwitchboardConfig config = ConfigLoader.load(relative, Map.of());

    assertThat(config.servers().get("a").command()).containsExactly(dir.resolve("a").toString());
    assertThat(config.sourceName()).isEqualTo(relative.toString());
  }
}
