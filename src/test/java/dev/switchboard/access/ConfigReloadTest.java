package dev.switchboard.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ConfigDiff;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import dev.switchboard.testing.McpWebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading the config's access rules in a running hub (SIGHUP, POST /admin/reload): principals are
 * re-checked, views recomputed, list_changed sent to the sessions whose view changed, revoked
 * clients disconnected; an invalid file changes nothing; what needs a restart is said, not applied.
 */
class ConfigReloadTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private HttpHub hub;
  private HubProcess stdioHub;
  private final List<McpWebSocketClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(McpWebSocketClient::close);
    if (hub != null) {
      hub.close();
    }
    if (stdioHub != null) {
      stdioHub.close();
    }
  }

  private static String config(String users, String tools) {
    return """
        servers:
          db:
            command: %s
            prefix: db_
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        admin: { token: admin-token }
        users:
        %s
        tools:
        %s
        """.formatted(HubProcess.fakeBackend("--name", "db", "--tools", "query"), users.indent(2), tools.indent(2));
  }

  private void rewrite(String yaml) throws Exception {
    Path file = dir.resolve("switchboard.yaml");
    String listen = Files.readAllLines(file).getFirst(); // HttpHub's "listen: 127.0.0.1:PORT"
    Files.writeString(file, listen + "\n" + yaml);
  }

  private McpWebSocketClient connect(String token) {
    McpWebSocketClient client = McpWebSocketClient.connect(HttpClient.newHttpClient(),
        URI.create("ws://127.0.0.1:" + hub.base().getPort() + "/ws?token=" + token), Map.of(), "mcp");
    clients.add(client);
    return client;
  }

  private static List<String> tools(McpWebSocketClient client) {
    List<String> names = new ArrayList<>();
    client.result("tools/list", Json.object()).get("tools").forEach(tool -> names.add(tool.get("name").asText()));
    return names;
  }

  private static void hangUp(Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  @Test
  void sighupGivesAUserNewCapabilitiesAtOnceAndDisconnectsUsersRemovedOrGivenANewToken() throws Exception {
    hub = HttpHub.start(dir, config("""
        alice: { token: alice-token, capabilities: [db.read] }
        bob: { token: bob-token, capabilities: [web.read] }
        erin: { token: erin-old-token, capabilities: [web.read] }
        """, """
        "web_*": { requires: [web.read] }
        "db_*": { requires: [db.read] }
        """), Map.of());
    McpWebSocketClient alice = connect("alice-token");
    McpWebSocketClient bob = connect("bob-token");
    McpWebSocketClient erin = connect("erin-old-token");
    alice.initialize();
    bob.initialize();
    erin.initialize();
    assertThat(tools(alice)).contains("db_query").noneMatch(name -> name.startsWith("web_"));
    assertThat(tools(bob)).containsExactly("web_get_weather", "web_stream_logs");

    rewrite(config("""
        alice: { token: alice-token, capabilities: [db.read, web.read] }
        erin: { token: erin-new-token, capabilities: [web.read] }
        """, """
        "web_*": { requires: [web.read] }
        "db_*": { requires: [db.read] }
        """));
    hangUp(hub.process());

    alice.awaitMessage(m -> "notifications/tools/list_changed".equals(Json.text(m, "method")), WAIT);
    assertThat(tools(alice)).contains("db_query", "web_get_weather", "web_stream_logs");
    ObjectNode call = Json.object().put("name", "web_get_weather");
    call.putObject("arguments").put("city", "Rome");
    assertThat(alice.request("tools/call", call).has("result")).isTrue();

    McpWebSocketClient.Closed closed = bob.awaitClose(WAIT);
    assertThat(closed.code()).isEqualTo(1008);
    assertThat(closed.reason()).isEqualTo("Unauthorized");
    assertThat(connect("bob-token").awaitClose(WAIT).code()).isEqualTo(1008);
    assertThat(erin.awaitClose(WAIT).code()).isEqualTo(1008); // a rotated token no longer holds a connection
    McpWebSocketClient erinAgain = connect("erin-new-token");
    erinAgain.initialize();
    assertThat(tools(erinAgain)).containsExactly("web_get_weather", "web_stream_logs");
    org.awaitility.Awaitility.await().atMost(WAIT)
        .until(() -> hub.stderr().stream().anyMatch(line -> line.contains("config reloaded") && line.contains("users")));
    assertThat(hub.stderr()).noneMatch(line -> line.contains("alice-token") || line.contains("bob-token") || line.contains("erin-"));
  }

  @Test
  void adminReloadAppliesAPolicyChangeReportsWhatNeedsARestartAndRefusesAnInvalidFile() throws Exception {
    String users = "carol: { token: carol-token, capabilities: [web.read] }\n";
    hub = HttpHub.start(dir, config(users, "\"web_*\": { requires: [web.read] }\n\"db_*\": { requires: [db.read] }\n"),
        Map.of());
    McpWebSocketClient carol = connect("carol-token");
    carol.initialize();
    assertThat(tools(carol)).containsExactly("web_get_weather", "web_stream_logs");

    assertThat(reload("").statusCode()).isEqualTo(401);
    assertThat(reload("wrong").statusCode()).isEqualTo(403);

    // stream_logs now needs web.admin as well: carol's view shrinks; the web server's prefix changes too
    rewrite(config(users, "\"web_*\": { requires: [web.read] }\n\"db_*\": { requires: [db.read] }\n"
        + "web_stream_logs: { requires: [web.admin] }\n")
        .replace("prefix: web_", "prefix: w_"));
    HttpResponse<String> applied = reload("admin-token");
    assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
    JsonNode body = Json.parse(applied.body());
    assertThat(body.get("applied").toString()).isEqualTo("[\"tools\"]");
    assertThat(body.get("restartNeeded").toString()).isEqualTo("[\"servers\"]");
    carol.awaitMessage(m -> "notifications/tools/list_changed".equals(Json.text(m, "method")), WAIT);
    assertThat(tools(carol)).containsExactly("web_get_weather"); // the prefix is still web_: not applied
    ObjectNode call = Json.object().put("name", "web_stream_logs");
    assertThat(carol.request("tools/call", call).at("/error/message").asText())
        .isEqualTo("No server registered for tool: web_stream_logs");

    Files.writeString(dir.resolve("switchboard.yaml"), Files.readString(dir.resolve("switchboard.yaml"))
        .replace("users:", "userz:"));
    HttpResponse<String> refused = reload("admin-token");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(Json.parse(refused.body()).get("error").asText()).contains("switchboard.yaml:").contains("userz")
        .contains("users");
    assertThat(tools(carol)).containsExactly("web_get_weather"); // the running rules stay in force
  }

  private HttpResponse<String> reload(String adminToken) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(hub.base().resolve("/admin/reload"))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (!adminToken.isEmpty()) {
      request.header("Authorization", "Bearer " + adminToken);
    }
    return hub.send(request.build());
  }

  @Test
  void sighupReloadsTheStdioUser() throws Exception {
    String servers = """
        servers:
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        tools:
          web_stream_logs: { requires: [web.admin] }
        users:
          ops: { token: ops-token, capabilities: [web.admin] }
          guest: { token: guest-token, capabilities: [] }
        """;
    stdioHub = HubProcess.start(dir, servers + "stdio: { user: guest }\n");
    McpLineClient client = stdioHub.client();
    client.initialize();
    assertThat(names(client.result("tools/list", Json.object()))).containsExactly("web_get_weather");
    // A stateless-era listen stream on the same stdio follows stdio.user too.
    long listen = client.requestAsync("subscriptions/listen", (ObjectNode) Json.parse("""
        {"notifications":{"toolsListChanged":true},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
         "io.modelcontextprotocol/clientInfo":{"name":"modern-client","version":"1"},
         "io.modelcontextprotocol/clientCapabilities":{}}}"""));
    client.awaitNotification(m -> "notifications/subscriptions/acknowledged".equals(Json.text(m, "method")), WAIT);

    Files.writeString(dir.resolve("switchboard.yaml"), servers + "stdio: { user: ops }\n");
    hangUp(stdioHub.process());

    client.awaitNotification(m -> "notifications/tools/list_changed".equals(Json.text(m, "method"))
        && !m.at("/params/_meta").has("io.modelcontextprotocol/subscriptionId"), WAIT);
    assertThat(names(client.result("tools/list", Json.object()))).containsExactly("web_get_weather", "web_stream_logs");
    ObjectNode onStream = client.awaitNotification(m -> "notifications/tools/list_changed".equals(Json.text(m, "method"))
        && m.at("/params/_meta").has("io.modelcontextprotocol/subscriptionId"), WAIT);
    assertThat(onStream.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asLong()).isEqualTo(listen);
  }

  private static List<String> names(JsonNode result) {
    List<String> names = new ArrayList<>();
    result.get("tools").forEach(tool -> names.add(tool.get("name").asText()));
    return names;
  }

  @Test
  void whereAnEntryStandsInTheFileIsNotAChange() throws Exception {
    String yaml = config("dan: { token: t, capabilities: [a] }\n", "\"web_*\": { requires: [a] }\n");
    SwitchboardConfig before = load("before.yaml", yaml);
    SwitchboardConfig moved = load("moved.yaml", "# a comment moves every line down\n\n" + yaml);
    assertThat(ConfigDiff.reloadable(before, moved)).isEmpty();
    assertThat(ConfigDiff.restartNeeded(before, moved)).isEmpty();

    SwitchboardConfig requires = load("requires.yaml", yaml.replace("prefix: db_", "prefix: db_\n    requires: [a]"));
    assertThat(ConfigDiff.reloadable(before, requires)).containsExactly("servers.*.requires");
    assertThat(ConfigDiff.restartNeeded(before, requires)).isEmpty();
  }

  private SwitchboardConfig load(String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, Map.of());
  }
}
