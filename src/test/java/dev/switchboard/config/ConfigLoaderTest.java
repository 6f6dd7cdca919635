package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Map<String, String> ENV = Map.of("WEB_TOKEN", "t0k3n", "BOB_TOKEN", "bob-token",
      "ADMIN_TOKEN", "admin-token");

  @TempDir
  Path dir;

  @Test
  void builtInDemoConfigHasTheThreeDemoServersInOrder() {
    SwitchboardConfig config = ConfigLoader.builtInDemo(Map.of());

    assertThat(config.sourceName()).isEqualTo("<built-in demo config>");
    assertThat(config.source()).isNull();
    assertThat(config.listen()).isEqualTo(new Listen("127.0.0.1", 8080));
    assertThat(config.servers().keySet()).containsExactly("database", "files", "web");
    assertThat(config.servers().values()).extracting(ServerConfig::prefix).containsExactly("db_", "files_", "web_");
    ServerConfig database = config.servers().get("database");
    assertThat(database.command()).containsExactly("switchboard", "demo-server", "database");
    assertThat(database.isStdio()).isTrue();
    assertThat(database.position()).isEqualTo(new Position("<built-in demo config>", 6, 3));
    assertThat(config.tools().get("web_get_weather").cache()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.prompts().get("code_review").isTemplate()).isTrue();
  }

  @Test
  void fullConfigUsingEverySectionParsesToTheRightRecords() throws Exception {
    Path file = dir.resolve("switchboard.yaml");
    Files.writeString(file, """
        listen: "[::1]:9090"
        hub:
          request_timeout: 30s
          max_request_timeout: 1h
          startup_wait: 2
          shutdown_grace: 1500ms
          page_size: 50
          health_interval: 20s
        servers:
          database:
            command: [bin/db-server, --port, 5432]
            env: { DB_URL: "${DB_URL:-jdbc:sqlite:demo.db}", RETRIES: 3, VERBOSE: true }
            cwd: data
            prefix: db_
            timeout: 10s
            max_timeout: 2m
            requires: [db.read]
          web:
            url: https://example.com/mcp
            headers: { Authorization: "Bearer ${WEB_TOKEN}", X-Retries: 2 }
            transport: streamable-http
            prefix: web_
          misc:
            command: npx
            args: [-y, "@modelcontextprotocol/server-everything"]
            default: true
          old:
            command: [node, old.js]
            disabled: true
        users:
          alice:
            token_sha256: 5E884898DA28047151D0E56F8DC6292773603D0D6AABBDD62A11EF721D1542D8
            capabilities: [db.read, files.read]
          bob:
            token: ${BOB_TOKEN}
        auth:
          jwt:
            jwks_url: https://auth.example.com/.well-known/jwks.json
            issuer: https://auth.example.com/
            audience: [switchboard, hub]
            capabilities_claim: permissions
            algorithms: [RS256, EdDSA]
        stdio:
          user: alice
        tools:
          "db_*": { requires: [db.read] }
          web_get_weather: { cache: 5m, cache_scope: shared }
          files_list:
        resources:
          "file:///docs/*": { requires: [files.read] }
        prompts:
          code_review:
            description: Review code
            arguments:
              - { name: code, description: The code, required: true }
              - { name: language }
            messages:
              - { role: user, text: "Review this {{ language }} code:\\n\\n{{code}}" }
              - { role: assistant, text: Sure. }
            requires: [db.read]
          "db_*":
            requires: [db.admin]
        cache:
          default_ttl: 60s
          store: redis://127.0.0.1:6379/2
          max_size: 128MiB
          store_timeout: 100ms
        admin:
          token: ${ADMIN_TOKEN}
        http:
          allowed_origins: [https://app.example.com]
          allowed_hosts: [mcp.example.com]
          max_body: 1MiB
          session_idle_timeout: 10m
          keepalive: 5s
        audit:
          file: logs/audit.log
        """);

    SwitchboardConfig config = ConfigLoader.load(file, ENV);

    String name = file.toString();
    assertThat(config.source()).isEqualTo(file);
    assertThat(config.sourceName()).isEqualTo(name);
    assertThat(config.baseDirectory()).isEqualTo(dir.toAbsolutePath());
    assertThat(config.listen()).isEqualTo(new Listen("::1", 9090));
    assertThat(config.hub()).isEqualTo(new HubSettings(Duration.ofSeconds(30), Duration.ofHours(1),
        Duration.ofSeconds(2), Duration.ofMillis(1500), 50, Duration.ofSeconds(20)));
    assertThat(config.http()).isEqualTo(new HttpConfig(List.of("https://app.example.com"), List.of("mcp.example.com"),
        1024 * 1024, Duration.ofMinutes(10), Duration.ofSeconds(5)));

    assertThat(config.servers().keySet()).containsExactly("database", "web", "misc");
    assertThat(config.servers().get("database")).isEqualTo(new ServerConfig("database",
        List.of(dir.resolve("bin/db-server").toString(), "--port", "5432"),
        Map.of("DB_URL", "jdbc:sqlite:demo.db", "RETRIES", "3", "VERBOSE", "true"), dir.resolve("data"),
        null, null, null, "db_", false, Duration.ofSeconds(10), Duration.ofMinutes(2), List.of("db.read"),
        new Position(name, 10, 3)));
    assertThat(config.servers().get("database").env().keySet()).containsExactly("DB_URL", "RETRIES", "VERBOSE");
    assertThat(config.servers().get("web")).isEqualTo(new ServerConfig("web", null, null, null,
        URI.create("https://example.com/mcp"), Map.of("Authorization", "Bearer t0k3n", "X-Retries", "2"),
        ServerConfig.Transport.STREAMABLE_HTTP, "web_", false, null, null, null, new Position(name, 18, 3)));
    assertThat(config.servers().get("misc")).isEqualTo(new ServerConfig("misc",
        List.of("npx", "-y", "@modelcontextprotocol/server-everything"), null, null, null, null, null, null, true,
        null, null, null, new Position(name, 23, 3)));

    assertThat(config.users().values()).containsExactly(
        new UserConfig("alice", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", null,
            List.of("db.read", "files.read")),
        new UserConfig("bob", null, "bob-token", List.of()));
    assertThat(config.auth()).isEqualTo(new AuthConfig(new AuthConfig.Jwt(
        URI.create("https://auth.example.com/.well-known/jwks.json"), null, "https://auth.example.com/",
        List.of("switchboard", "hub"), "permissions", List.of("RS256", "EdDSA")), null));
    assertThat(config.stdio()).isEqualTo(new StdioConfig("alice"));

    assertThat(config.tools().values()).containsExactly(
        new ItemPolicyConfig("db_*", List.of("db.read"), null, null, new Position(name, 46, 3)),
        new ItemPolicyConfig("web_get_weather", null, Duration.ofMinutes(5), ItemPolicyConfig.CacheScope.SHARED,
            new Position(name, 47, 3)),
        new ItemPolicyConfig("files_list", null, null, null, new Position(name, 48, 3)));
    assertThat(config.resources().values()).containsExactly(
        new ItemPolicyConfig("file:///docs/*", List.of("files.read"), null, null, new Position(name, 50, 3)));

    assertThat(config.prompts().values()).containsExactly(
        new PromptConfig("code_review", "Review code",
            List.of(new PromptConfig.Argument("code", "The code", true),
                new PromptConfig.Argument("language", null, false)),
            List.of(new PromptConfig.Message("user", "Review this {{ language }} code:\n\n{{code}}"),
                new PromptConfig.Message("assistant", "Sure.")),
            List.of("db.read"), new Position(name, 52, 3)),
        new PromptConfig("db_*", null, null, null, List.of("db.admin"), new Position(name, 61, 3)));

    assertThat(config.cache()).isEqualTo(new CacheConfig(Duration.ofSeconds(60),
        URI.create("redis://127.0.0.1:6379/2"), 128L * 1024 * 1024, Duration.ofMillis(100)));
    assertThat(config.admin()).isEqualTo(new AdminConfig(null, "admin-token"));
    assertThat(config.audit()).isEqualTo(new AuditConfig(dir.resolve("logs/audit.log")));
  }

  @Test
  void emptyFileIsAValidConfigWithDefaults() throws Exception {
    for (String text : List.of("", "# only a comment\n", "---\n")) {
      SwitchboardConfig config = ConfigLoader.parse(text, "switchboard.yaml", null, Map.of());

      assertThat(config.servers()).isEmpty();
      assertThat(config.listen()).isEqualTo(Listen.DEFAULT);
      assertThat(config.hub()).isEqualTo(HubSettings.DEFAULTS);
      assertThat(config.cache()).isEqualTo(CacheConfig.DEFAULT);
      assertThat(config.stdio()).isEqualTo(StdioConfig.DEFAULT);
      assertThat(config.audit()).isEqualTo(AuditConfig.STDERR);
      assertThat(config.auth()).isNull();
      assertThat(config.admin()).isNull();
    }
  }

  @Test
  void nullSectionsMeanAbsent() throws Exception {
    SwitchboardConfig config = ConfigLoader.parse("""
        listen:
        hub:
        servers:
        users:
        auth:
        stdio:
        tools:
        resources:
        prompts:
        cache:
        admin:
        audit:
        """, "switchboard.yaml", null, Map.of());

    assertThat(config.listen()).isEqualTo(Listen.DEFAULT);
    assertThat(config.hub()).isEqualTo(HubSettings.DEFAULTS);
    assertThat(config.servers()).isEmpty();
    assertThat(config.cache()).isEqualTo(CacheConfig.DEFAULT);
    assertThat(config.admin()).isNull();
  }

  @Test
  void listenTakesHostAndPortOrABarePort() throws Exception {
    assertThat(listen("listen: 0.0.0.0:80")).isEqualTo(new Listen("0.0.0.0", 80));
    assertThat(listen("listen: 9000")).isEqualTo(new Listen("127.0.0.1", 9000));
    assertThat(listen("listen: localhost:0")).isEqualTo(new Listen("localhost", 0));
    assertThat(listen("listen: \"[::]:65535\"")).isEqualTo(new Listen("::", 65535));
    assertThat(listen("listen: ${PORT:-7000}")).isEqualTo(new Listen("127.0.0.1", 7000));
  }

  @Test
  void smallerSectionsTakeTheirOtherForms() throws Exception {
    SwitchboardConfig config = ConfigLoader.parse("""
        hub: { request_timeout: 90, page_size: "${PAGE:-25}" }
        users: { alice: { token: abc } }
        auth: { jwt: { jwks_file: keys/jwks.json, issuer: me, audience: hub } }
        cache: { store: memory, max_size: 1048576 }
        admin: { token_sha256: 5E884898DA28047151D0E56F8DC6292773603D0D6AABBDD62A11EF721D1542D8 }
        audit: { file: stderr }
        """, "switchboard.yaml", dir.resolve("switchboard.yaml"), Map.of());

    assertThat(config.hub().requestTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.hub().maxRequestTimeout()).isEqualTo(HubSettings.DEFAULTS.maxRequestTimeout());
    assertThat(config.hub().pageSize()).isEqualTo(25);
    assertThat(config.auth().jwt()).isEqualTo(new AuthConfig.Jwt(null, dir.resolve("keys/jwks.json"), "me",
        List.of("hub"), null, null));
    assertThat(config.auth().jwt().capabilitiesClaim()).isEqualTo("scope");
    assertThat(config.auth().jwt().algorithms()).containsExactly("RS256", "ES256", "EdDSA");
    assertThat(config.cache()).isEqualTo(new CacheConfig(null, null, 1_048_576, Duration.ofMillis(50)));
    assertThat(config.admin()).isEqualTo(
        new AdminConfig("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", null));
    assertThat(config.audit()).isEqualTo(AuditConfig.STDERR);
  }

  @Test
  void sameNonEmptyPrefixOnTwoServersIsAllowed() throws Exception {
    SwitchboardConfig config = ConfigLoader.parse("""
        servers:
          a: { command: [a], prefix: x_ }
          b: { command: [b], prefix: x_ }
        """, "switchboard.yaml", null, Map.of());

    assertThat(config.servers()).hasSize(2);
  }

  @Test
  void missingFileIsOneLineNamingThePath() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly(missing + ": cannot read the config file: no such file"));
  }

  @Test
  void directoryIsNotAConfigFile() {
    assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
        .hasMessage(dir + ": cannot read the config file: it is a directory");
  }

  @Test
  void checkReturnsNoLinesForAValidFile() throws Exception {
    Path file = dir.resolve("ok.yaml");
    Files.writeString(file, "servers: { db: { command: [node, db.js] } }\n");

    assertThat(ConfigLoader.check(file, Map.of())).isEmpty();
  }

  @Test
  void checkReturnsErrorsThenWarnings() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        servers:
          a: { command: "node server.js" }
          b: { command: [node], prefx: b_ }
        """);

    assertThat(ConfigLoader.check(file, Map.of())).containsExactly(
        file + ":3:25: unknown key 'prefx' in servers.b; did you mean 'prefix'?",
        file + ":2:17: warning: servers.a.command: 'node server.js' is run as one program name;"
            + " write a list like [node, server.js] to pass arguments");
  }

  @Test
  void checkOfAMissingFileIsOneLine() {
    Path missing = dir.resolve("missing.yaml");

    assertThat(ConfigLoader.check(missing, Map.of()))
        .containsExactly(missing + ": cannot read the config file: no such file");
  }

  private static Listen listen(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "switchboard.yaml", null, Map.of()).listen();
  }
}
