package dev.switchboard.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-principal views over WebSocket, and the audit trail. */
class ViewsAndAuditTest {
  @TempDir
  Path dir;

  private HttpHub hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  /** A minimal WebSocket MCP client: text frames in, one queue of parsed messages out. */
  private static final class WsClient implements WebSocket.Listener {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final StringBuilder partial = new StringBuilder();
    WebSocket socket;
    int id;

    static WsClient connect(URI uri) throws Exception {
      WsClient client = new WsClient();
      client.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("mcp")
          .buildAsync(uri, client).get(20, TimeUnit.SECONDS);
      return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(Json.parse(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    JsonNode request(String method, String params) throws Exception {
      int requestId = ++id;
      socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
          .get(10, TimeUnit.SECONDS);
      while (true) {
        JsonNode message = messages.poll(30, TimeUnit.SECONDS);
        assertThat(message).as("an answer to " + method).isNotNull();
        if (message.has("id") && message.get("id").asInt() == requestId) {
          return message;
        }
      }
    }

    List<String> tools() throws Exception {
      List<String> names = new ArrayList<>();
      request("tools/list", "{}").at("/result/tools").forEach(t -> names.add(t.get("name").asText()));
      return names;
    }
  }

  @Test
  void twoWebSocketClientsWithDifferentCapabilitiesSeeAndUseOnlyTheirOwnTools() throws Exception {
    hub = HttpHub.start(dir, """
        servers:
          db:
            command: %s
            prefix: db_
            requires: [db.read]
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        tools:
          "web_*": { requires: [web.read] }
          web_stream_logs: { requires: [web.admin] }
        users:
          alice: { token: alice-token, capabilities: [db.read] }
          bob: { token: bob-token, capabilities: [web.read] }
        """.formatted(HubProcess.fakeBackend("--name", "db", "--tools", "query")), Map.of());
    URI ws = URI.create("ws://127.0.0.1:" + hub.base().getPort() + "/ws");
    WsClient alice = WsClient.connect(URI.create(ws + "?token=alice-token"));
    WsClient bob = WsClient.connect(URI.create(ws + "?token=bob-token"));
    alice.request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"a\",\"version\":\"1\"}}");
    bob.request("initialize", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"b\",\"version\":\"1\"}}");

    assertThat(alice.tools()).contains("db_query").noneMatch(name -> name.startsWith("web_"));
    assertThat(bob.tools()).containsExactly("web_get_weather"); // stream_logs needs web.admin too: the entries add up

    assertThat(alice.request("tools/call", "{\"name\":\"db_query\",\"arguments\":{}}").has("result")).isTrue();
    JsonNode refused = alice.request("tools/call", "{\"name\":\"web_get_weather\",\"arguments\":{\"city\":\"Rome\"}}");
    assertThat(refused.at("/error/message").asText()).isEqualTo("No server registered for tool: web_get_weather");
    assertThat(bob.request("tools/call", "{\"name\":\"web_get_weather\",\"arguments\":{\"city\":\"Rome\"}}").has("result")).isTrue();
    assertThat(bob.request("tools/call", "{\"name\":\"db_query\",\"arguments\":{}}").at("/error/message").asText())
        .isEqualTo("No server registered for tool: db_query");
    assertThat(bob.request("tools/call", "{\"name\":\"web_stream_logs\",\"arguments\":{}}").at("/error/message").asText())
        .isEqualTo("No server registered for tool: web_stream_logs");
  }

  @Test
  void everyCallAndEveryDenialLeavesOneAuditLineWithoutArgumentsOrTokens() throws Exception {
    Path audit = dir.resolve("logs/audit.jsonl");
    hub = HttpHub.start(dir, """
        servers:
          db:
            command: %s
            prefix: db_
        tools:
          db_secret: { requires: [admin] }
        users:
          alice: { token: alice-secret-token, capabilities: [] }
        audit:
          file: %s
        """.formatted(HubProcess.fakeBackend("--name", "db", "--tools", "query,secret"), audit), Map.of());
    Map<String, String> auth = Map.of("Authorization", "Bearer alice-secret-token");
    String session = hub.post("""
        {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
         "clientInfo":{"name":"x","version":"1"}}}""", auth).headers().firstValue("Mcp-Session-Id").orElseThrow();
    Map<String, String> headers = Map.of("Authorization", "Bearer alice-secret-token", "Mcp-Session-Id", session);
    hub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"db_query\",\"arguments\":{\"sql\":\"password=hunter2\"}}}", headers);
    hub.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"db_secret\",\"arguments\":{}}}", headers);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(audit) && Files.readAllLines(audit).size() >= 2);
    List<String> lines = Files.readAllLines(audit);
    assertThat(lines).hasSize(2);
    JsonNode ok = Json.parse(lines.get(0));
    assertThat(ok.get("principal").asText()).isEqualTo("alice");
    assertThat(ok.get("method").asText()).isEqualTo("tools/call");
    assertThat(ok.get("name").asText()).isEqualTo("db_query");
    assertThat(ok.get("backend").asText()).isEqualTo("db");
    assertThat(ok.get("outcome").asText()).isEqualTo("ok");
    assertThat(ok.get("argumentsSha256").asText()).matches("[0-9a-f]{64}");
    assertThat(ok.has("time") && ok.has("durationMs")).isTrue();
    JsonNode denied = Json.parse(lines.get(1));
    assertThat(denied.get("name").asText()).isEqualTo("db_secret");
    assertThat(denied.get("outcome").asText()).isEqualTo("denied");
    assertThat(String.join("\n", lines)).doesNotContain("hunter2").doesNotContain("alice-secret-token");
  }
}
