package dev.switchboard.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamable HTTP (handshake era), legacy SSE, security of the front and health, against the hub in serve mode. */
class HttpFrontTest {
  @TempDir
  Path dir;

  private HttpHub hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private HttpHub start(String yaml) throws Exception {
    return start(yaml, Map.of());
  }

  private HttpHub start(String yaml, Map<String, String> env) throws Exception {
    hub = HttpHub.start(dir, yaml, env);
    return hub;
  }

  private static String fake(String name, String... more) {
    String[] args = new String[more.length + 2];
    args[0] = "--name";
    args[1] = name;
    System.arraycopy(more, 0, args, 2, more.length);
    return HubProcess.fakeBackend(args);
  }

  private static String call(int id, String tool, String arguments) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
        + "\",\"arguments\":" + arguments + "}}";
  }

  @Test
  void aSessionIsCreatedWithARandomIdAndCallsAreAnsweredAsJson() throws Exception {
    start("servers:\n  alpha:\n    command: " + fake("alpha", "--tools", "t") + "\n    prefix: a_\n");
    String first = hub.initialize();
    String second = hub.initialize();
    assertThat(first).matches("[0-9a-f]{32}").isNotEqualTo(second);

    HttpResponse<String> list = hub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", Map.of("Mcp-Session-Id", first));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(HttpHub.messages(list).getFirst().get("result").get("tools").findValuesAsText("name")).contains("a_t");

    HttpResponse<String> result = hub.post(call(2, "a_t", "{\"k\":1}"), Map.of("Mcp-Session-Id", first));
    assertThat(HttpHub.messages(result).getFirst().at("/result/content/0/text").asText()).isEqualTo("alpha:t {\"k\":1}");
  }

  @Test
  void aCallThatStreamsIsAnsweredAsSseWithItsProgressFirst() throws Exception {
    start("servers:\n  alpha:\n    command: " + fake("alpha") + "\n");
    String session = hub.initialize();
    HttpResponse<String> response = hub.post("""
        {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"progress","arguments":{"count":3,"interval_ms":10},
         "_meta":{"progressToken":"p-1"}}}""", Map.of("Mcp-Session-Id", session));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    assertThat(response.headers().firstValue("X-Accel-Buffering")).contains("no");
    List<ObjectNode> messages = HttpHub.messages(response);
    assertThat(messages).hasSize(4);
    assertThat(messages.subList(0, 3)).allSatisfy(m -> {
      assertThat(m.get("method").asText()).isEqualTo("notifications/progress");
      assertThat(m.at("/params/progressToken").asText()).isEqualTo("p-1");
    });
    assertThat(messages.get(3).get("id").asInt()).isEqualTo(5);
  }

  @Test
  void sessionRulesMissingUnknownAndDeletedSessions() throws Exception {
    start("servers: {}\n");
    HttpResponse<String> missing = hub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", Map.of());
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("Mcp-Session-Id header is required");

    HttpResponse<String> unknown = hub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
        Map.of("Mcp-Session-Id", "0123456789abcdef0123456789abcdef"));
    assertThat(unknown.statusCode()).isEqualTo(404);

    String session = hub.initialize();
    HttpResponse<String> delete = hub.send(HttpRequest.newBuilder(hub.base().resolve("/mcp"))
        .header("Mcp-Session-Id", session).DELETE().build());
    assertThat(delete.statusCode()).isEqualTo(200);
    HttpResponse<String> reuse = hub.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", Map.of("Mcp-Session-Id", session));
    assertThat(reuse.statusCode()).isEqualTo(404);
  }

  @Test
  void wrongAcceptContentTypeMethodAndVersionGetTheSpecsAnswers() throws Exception {
    start("servers: {}\n");
    String session = hub.initialize();
    String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    assertThat(hub.post(ping, Map.of("Mcp-Session-Id", session, "Accept", "application/json")).statusCode()).isEqualTo(406);
    assertThat(hub.post(ping, Map.of("Mcp-Session-Id", session, "Content-Type", "text/plain")).statusCode()).isEqualTo(415);
    assertThat(hub.post(ping, Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "1999-01-01")).statusCode())
        .isEqualTo(400);
    assertThat(hub.post(ping, Map.of("Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18")).statusCode())
        .isEqualTo(200);
    HttpResponse<String> put = hub.send(HttpRequest.newBuilder(hub.base().resolve("/mcp"))
        .PUT(HttpRequest.BodyPublishers.ofString(ping)).build());
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow").orElse("")).contains("POST");
    HttpResponse<String> getWithoutSse = hub.get("/mcp", Map.of("Mcp-Session-Id", session, "Accept", "application/json"));
    assertThat(getWithoutSse.statusCode()).isEqualTo(406);
  }

  @Test
  void malformedBodiesAndBatchesAreRefusedWithJsonRpcErrors() throws Exception {
    start("servers: {}\n");
    HttpResponse<String> garbage = hub.post("{not json", Map.of());
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(Json.parse(garbage.body()).at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(Json.parse(garbage.body()).get("id").isNull()).isTrue();

    HttpResponse<String> batch = hub.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", Map.of());
    assertThat(batch.statusCode()).isEqualTo(400);
    assertThat(Json.parse(batch.body()).at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(Json.parse(batch.body()).at("/error/message").asText()).contains("batch");
  }

  @Test
  void aForeignOriginOrHostIsRefusedWith403AndLoopbackOnesAreServed() throws Exception {
    start("servers: {}\n");
    String init = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}}";
    assertThat(hub.post(init, Map.of("Origin", "http://evil.example.com")).statusCode()).isEqualTo(403);
    assertThat(hub.post(init, Map.of("Origin", "http://localhost:5173")).statusCode()).isEqualTo(200);
    // java.net.http refuses to set Host, so speak HTTP by hand for the rebinding case.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", hub.base().getPort())) {
      socket.setSoTimeout(10_000);
      String request = "POST /mcp HTTP/1.1\r\nHost: evil.example.com\r\nContent-Type: application/json\r\n"
          + "Accept: application/json, text/event-stream\r\nContent-Length: " + init.length() + "\r\nConnection: close\r\n\r\n" + init;
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(status).startsWith("HTTP/1.1 403");
    }
  }

  @Test
  void anOversizedBodyGets413NamingTheLimit() throws Exception {
    start("http:\n  max_body: 1KiB\nservers: {}\n");
    HttpResponse<String> response = hub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\""
        + "x".repeat(4000) + "\"}}", Map.of());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("over the limit of 1024 bytes (http.max_body)");
  }

  @Test
  void theGetStreamCarriesListChangedAfterABackendChangesItsTools() throws Exception {
    start("servers:\n  alpha:\n    command: " + fake("alpha") + "\n    prefix: a_\n");
    String session = hub.initialize();
    hub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", Map.of("Mcp-Session-Id", session));
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(hub.base().resolve("/mcp"))
        .header("Mcp-Session-Id", session).header("Accept", "text/event-stream").GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    CompletableFuture<String> event = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("data:")) {
            return line;
          }
        }
        return null;
      } catch (java.io.IOException e) {
        return null;
      }
    });
    hub.post(call(2, "a_add_tool", "{\"name\":\"fresh\"}"), Map.of("Mcp-Session-Id", session));
    assertThat(event.get(20, TimeUnit.SECONDS)).contains("notifications/tools/list_changed");
  }

  @Test
  void theLegacySseTransportServesOldClients() throws Exception {
    start("servers:\n  alpha:\n    command: " + fake("alpha", "--tools", "t") + "\n");
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(hub.base().resolve("/sse"))
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    String endpoint = null;
    String line;
    while ((line = reader.readLine()) != null && endpoint == null) {
      if (line.startsWith("data: /messages")) {
        endpoint = line.substring(6).trim();
      }
    }
    assertThat(endpoint).startsWith("/messages?sessionId=");
    HttpResponse<String> accepted = hub.send(HttpRequest.newBuilder(hub.base().resolve(endpoint))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},\"clientInfo\":{\"name\":\"old\",\"version\":\"1\"}}}"))
        .build());
    assertThat(accepted.statusCode()).isEqualTo(202);
    String answer = null;
    while ((line = reader.readLine()) != null) {
      if (line.startsWith("data: {")) {
        answer = line.substring(6);
        break;
      }
    }
    assertThat(Json.parse(answer).at("/result/protocolVersion").asText()).isEqualTo("2024-11-05");
    stream.body().close();
  }

  @Test
  void healthReportsEveryBackendAndNoSecrets() throws Exception {
    start("""
        servers:
          good:
            command: %s
            env: { GOOD_SECRET: "${SECRET_ONE}" }
          broken:
            command: %s
        """.formatted(fake("good", "--tools", "t"), HubProcess.fakeBackend("--exit-at-start", "3")),
        Map.of("SECRET_ONE", "s3cr3t-health-value"));
    HttpResponse<String> health = hub.get("/health", Map.of());
    assertThat(health.statusCode()).isEqualTo(503);
    JsonNode body = Json.parse(health.body());
    assertThat(body.get("status").asText()).isEqualTo("unhealthy");
    assertThat(body.at("/checks/backends/good/status").asText()).isEqualTo("up");
    assertThat(body.at("/checks/backends/good/tools").asInt()).isEqualTo(8);
    assertThat(body.at("/checks/backends/broken/status").asText()).isIn("down", "starting");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        Json.parse(hub.get("/health", Map.of()).body()).at("/checks/backends/broken/restarts").asInt() >= 1);
    JsonNode later = Json.parse(hub.get("/health", Map.of()).body());
    assertThat(later.at("/checks/backends/broken/error").asText()).startsWith("Backend 'broken' exited (code 3)");
    assertThat(health.body() + later).doesNotContain("s3cr3t-health-value").doesNotContain("--exit-at-start")
        .doesNotContain("failing at start on purpose");
    assertThat(hub.get("/health/live", Map.of()).statusCode()).isEqualTo(200);
    assertThat(hub.get("/health/ready", Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void aBackendThatStopsAnsweringIsReportedDownAndRestarted() throws Exception {
    start("hub:\n  health_interval: 300ms\nservers:\n  alpha:\n    command: " + fake("alpha") + "\n");
    String session = hub.initialize();
    hub.post(call(1, "hang", "{}"), Map.of("Mcp-Session-Id", session));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        Json.parse(hub.get("/health", Map.of()).body()).at("/checks/backends/alpha/restarts").asInt() >= 1);
    assertThat(hub.stderr()).anyMatch(l -> l.contains("did not answer 3 health probes in a row"));
    await().atMost(Duration.ofSeconds(30)).until(() -> hub.get("/health", Map.of()).statusCode() == 200);
  }

  @Test
  void sigtermLetsACallInFlightFinishThenEndsEveryChild() throws Exception {
    Path record = dir.resolve("alpha.jsonl");
    start("servers:\n  alpha:\n    command: " + fake("alpha", "--grandchild", "--record", record.toString()) + "\n");
    String session = hub.initialize();
    assertThat(hub.descendants()).isNotEmpty();
    CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return hub.post(call(3, "sleep", "{\"ms\":1500}"), Map.of("Mcp-Session-Id", session));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.descendants().size() >= 2);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        Files.exists(record) && Files.readString(record).contains("\"name\":\"sleep\""));
    hub.process().destroy(); // SIGTERM
    HttpResponse<String> answer = slow.get(30, TimeUnit.SECONDS);
    assertThat(HttpHub.messages(answer).getFirst().at("/result/content/0/text").asText()).startsWith("alpha:sleep");
    assertThat(hub.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.survivors().isEmpty());
  }
}
