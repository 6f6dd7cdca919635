package dev.switchboard.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.FakeModernBackend;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stateless era (2026-07-28) on the HTTP front, with raw HTTP against the hub in serve mode. */
class StatelessFrontTest {
  private static final String VERSION = "2026-07-28";
  private static final String META = """
      "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
       "io.modelcontextprotocol/clientInfo":{"name":"raw-http","version":"1"},
       "io.modelcontextprotocol/clientCapabilities":{}%s}""";

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
    hub = HttpHub.start(dir, yaml, Map.of());
    return hub;
  }

  private static String fake(String name, String... more) {
    String[] args = new String[more.length + 2];
    args[0] = "--name";
    args[1] = name;
    System.arraycopy(more, 0, args, 2, more.length);
    return HubProcess.fakeBackend(args);
  }

  /** A request body: {@code params} (without braces) plus the era's _meta, and {@code extraMeta} inside it. */
  private static String body(int id, String method, String params, String extraMeta) {
    String meta = META.formatted(extraMeta);
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{"
        + (params.isEmpty() ? "" : params + ",") + meta + "}}";
  }

  /** The headers a conforming client sends for this request, with {@code changes} applied (a null value removes one). */
  private static Map<String, String> headers(String method, String name, Map<String, String> changes) {
    Map<String, String> headers = new HashMap<>();
    headers.put("MCP-Protocol-Version", VERSION);
    headers.put("Mcp-Method", method);
    if (name != null) {
      headers.put("Mcp-Name", name);
    }
    changes.forEach((key, value) -> {
      if (value == null) {
        headers.remove(key);
      } else {
        headers.put(key, value);
      }
    });
    return headers;
  }

  private HttpResponse<String> post(int id, String method, String params, String name) throws Exception {
    return hub.post(body(id, method, params, ""), headers(method, name, Map.of()));
  }

  private static ObjectNode only(HttpResponse<String> response) {
    List<ObjectNode> messages = HttpHub.messages(response);
    return messages.getLast();
  }

  @Test
  void discoverNamesEveryVersionTheCapabilitiesAndTheHubWithoutASession() throws Exception {
    start("servers: {}\n");
    HttpResponse<String> response = post(1, "server/discover", "", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
    JsonNode result = only(response).get("result");
    assertThat(result.get("resultType").asText()).isEqualTo("complete");
    assertThat(result.get("supportedVersions").toString())
        .isEqualTo("[\"2026-07-28\",\"2025-11-25\",\"2025-06-18\",\"2025-03-26\",\"2024-11-05\"]");
    assertThat(result.at("/capabilities/tools/listChanged").asBoolean()).isTrue();
    assertThat(result.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("switchboard");
    assertThat(result.get("ttlMs").asLong()).isEqualTo(10_000);
    assertThat(result.get("cacheScope").asText()).isEqualTo("public");
  }

  @Test
  void aToolCallWithMatchingHeadersIsAnsweredAndASessionIdIsIgnored() throws Exception {
    start("servers:\n  alpha:\n    command: " + fake("alpha", "--tools", "t") + "\n    prefix: a_\n");
    HttpResponse<String> response = hub.post(body(2, "tools/call", "\"name\":\"a_t\",\"arguments\":{\"k\":1}", ""),
        headers("tools/call", "a_t", Map.of("Mcp-Session-Id", "0123456789abcdef0123456789abcdef")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
    JsonNode answer = only(response);
    assertThat(answer.get("id").asInt()).isEqualTo(2);
    assertThat(answer.at("/result/content/0/text").asText()).isEqualTo("alpha:t {\"k\":1}");
    assertThat(answer.at("/result/resultType").asText()).isEqualTo("complete");
    assertThat(answer.at("/result/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("switchboard");
    assertThat(answer.at("/result/ttlMs").isMissingNode()).isTrue(); // a tool result is not cacheable
  }

  @Test
  void aNameOutsidePlainAsciiTravelsInTheBase64Sentinel() throws Exception {
    start("servers:\n  alpha:\n    command: " + fake("alpha", "--tools", "t") + "\n    prefix: a_\n");
    HttpResponse<String> response = hub.post(body(3, "tools/call", "\"name\":\"a_t\",\"arguments\":{}", ""),
        headers("tools/call", "=?base64?YV90?=", Map.of()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(only(response).at("/result/content/0/text").asText()).startsWith("alpha:t");
  }

  static Stream<Arguments> headerMismatches() {
    HashMap<String, String> noVersion = new HashMap<>();
    noVersion.put("MCP-Protocol-Version", null);
    HashMap<String, String> noMethod = new HashMap<>();
    noMethod.put("Mcp-Method", null);
    HashMap<String, String> noName = new HashMap<>();
    noName.put("Mcp-Name", null);
    return Stream.of(
        Arguments.of(noVersion, "Header mismatch: MCP-Protocol-Version header is required"),
        Arguments.of(Map.of("MCP-Protocol-Version", "2025-11-25"),
            "Header mismatch: MCP-Protocol-Version header value '2025-11-25' does not match body value '2026-07-28'"),
        Arguments.of(noMethod, "Header mismatch: Mcp-Method header is required"),
        Arguments.of(Map.of("Mcp-Method", "tools/list"),
            "Header mismatch: Mcp-Method header value 'tools/list' does not match body value 'tools/call'"),
        Arguments.of(noName, "Header mismatch: Mcp-Name header is required for tools/call"),
        Arguments.of(Map.of("Mcp-Name", "a_other"),
            "Header mismatch: Mcp-Name header value 'a_other' does not match body value 'a_t'"),
        Arguments.of(Map.of("Mcp-Name", "=?base64?YV*0?="),
            "Header mismatch: Mcp-Name header is malformed: its Base64 value is not valid Base64"),
        Arguments.of(Map.of("Mcp-Name", "=?base64?YV8?="),
            "Header mismatch: Mcp-Name header is malformed: its Base64 value is not padded to a multiple of 4 characters"));
  }

  @ParameterizedTest
  @MethodSource("headerMismatches")
  void eachHeaderMismatchIsRefusedWith400AndHeaderMismatch(Map<String, String> changes, String message) throws Exception {
    start("servers:\n  alpha:\n    command: " + fake("alpha", "--tools", "t") + "\n    prefix: a_\n");
    HttpResponse<String> response = hub.post(body(4, "tools/call", "\"name\":\"a_t\",\"arguments\":{}", ""),
        headers("tools/call", "a_t", changes));
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = Json.parse(response.body());
    assertThat(error.get("id").asInt()).isEqualTo(4);
    assertThat(error.at("/error/code").asInt()).isEqualTo(-32020);
    assertThat(error.at("/error/message").asText()).isEqualTo(message);
  }

  @Test
  void argumentsAToolMirrorsIntoHeadersMustBeThereAndAgree() throws Exception {
    start("servers:\n  modern:\n    command: " + FakeModernBackend.command("--name", "modern") + "\n");
    String call = "\"name\":\"region\",\"arguments\":{\"region\":\"eu-west1\",\"query\":\"q\"}";
    HttpResponse<String> ok = hub.post(body(5, "tools/call", call, ""),
        headers("tools/call", "region", Map.of("Mcp-Param-Region", "eu-west1")));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(only(ok).at("/result/content/0/text").asText()).isEqualTo("region eu-west1");

    HttpResponse<String> missing = hub.post(body(6, "tools/call", call, ""), headers("tools/call", "region", Map.of()));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(Json.parse(missing.body()).at("/error/message").asText())
        .isEqualTo("Header mismatch: Mcp-Param-Region header is required: the tool mirrors argument 'region' into it");

    HttpResponse<String> different = hub.post(body(7, "tools/call", call, ""),
        headers("tools/call", "region", Map.of("Mcp-Param-Region", "us-east1")));
    assertThat(different.statusCode()).isEqualTo(400);
    assertThat(Json.parse(different.body()).at("/error/message").asText())
        .isEqualTo("Header mismatch: Mcp-Param-Region header value 'us-east1' does not match body value \"eu-west1\"");
  }

  @Test
  void anUnsupportedVersionIsRefusedWith400ListingTheSupportedOnes() throws Exception {
    start("servers: {}\n");
    String request = body(8, "server/discover", "", "").replace("\"2026-07-28\"", "\"2099-01-01\"");
    HttpResponse<String> response = hub.post(request, headers("server/discover", null, Map.of("MCP-Protocol-Version", "2099-01-01")));
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = Json.parse(response.body());
    assertThat(error.get("id").asInt()).isEqualTo(8);
    assertThat(error.at("/error/code").asInt()).isEqualTo(-32022);
    assertThat(error.at("/error/data/requested").asText()).isEqualTo("2099-01-01");
    assertThat(error.at("/error/data/supported").toString()).contains("\"2026-07-28\"", "\"2025-11-25\"");
  }

  @Test
  void aRequestWithoutTheRequiredMetaIsRefusedWith400InvalidParams() throws Exception {
    start("servers: {}\n");
    HttpResponse<String> response = hub.post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\",\"params\":{}}",
        headers("tools/list", null, Map.of()));
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = Json.parse(response.body());
    assertThat(error.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(error.at("/error/message").asText()).startsWith("Invalid params: \"_meta\" with io.modelcontextprotocol/protocolVersion");
  }

  @ParameterizedTest
  @ValueSource(strings = {"initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "no/such"})
  void methodsThisEraRemovedOrNeverHadAreNotFoundWith404(String method) throws Exception {
    start("servers: {}\n");
    HttpResponse<String> response = post(10, method, "", null);
    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = Json.parse(response.body());
    assertThat(error.get("id").asInt()).isEqualTo(10);
    assertThat(error.at("/error/code").asInt()).isEqualTo(-32601);
    assertThat(error.at("/error/message").asText()).startsWith("Method not found: " + method);
  }

  @Test
  void listsCarryTheBackendsShorterTtlAndResultTypeAndServerInfo() throws Exception {
    start("servers:\n  modern:\n    command: " + FakeModernBackend.command("--name", "modern") + "\n"
        + "  alpha:\n    command: " + fake("alpha", "--tools", "t") + "\n    prefix: a_\n");
    JsonNode tools = only(post(11, "tools/list", "", null)).get("result");
    assertThat(tools.get("tools").findValuesAsText("name")).contains("echo", "a_t");
    assertThat(tools.get("resultType").asText()).isEqualTo("complete");
    assertThat(tools.get("ttlMs").asLong()).isEqualTo(5_000); // the modern backend's, shorter than the hub's 10 s
    assertThat(tools.get("cacheScope").asText()).isEqualTo("public");
    JsonNode prompts = only(post(12, "prompts/list", "", null)).get("result");
    assertThat(prompts.get("ttlMs").asLong()).isEqualTo(10_000);
    assertThat(prompts.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("switchboard");

    // input_required passes through untouched by the hub's marks (no caching hints on it).
    JsonNode ask = only(post(13, "tools/call", "\"name\":\"ask\",\"arguments\":{}", "ask")).get("result");
    assertThat(ask.get("resultType").asText()).isEqualTo("input_required");
    assertThat(ask.at("/inputRequests/name/method").asText()).isEqualTo("elicitation/create");
    assertThat(ask.has("ttlMs")).isFalse();
  }

  @Test
  void withUsersConfiguredListsArePrivate() throws Exception {
    start("hub:\n  result_ttl: 2s\nusers:\n  alice:\n    token: alice-token\nservers: {}\n");
    HttpResponse<String> response = hub.post(body(14, "tools/list", "", ""),
        headers("tools/list", null, Map.of("Authorization", "Bearer alice-token")));
    JsonNode result = only(response).get("result");
    assertThat(result.get("cacheScope").asText()).isEqualTo("private");
    assertThat(result.get("ttlMs").asLong()).isEqualTo(2_000);
  }

  @Test
  void logMessagesReachOnlyRequestsThatAskedForThemAtTheirLevel() throws Exception {
    start("servers:\n  web:\n    command: [switchboard, demo-server, web]\n");
    String call = "\"name\":\"stream_logs\",\"arguments\":{\"count\":2,\"interval_ms\":10}";
    List<ObjectNode> silent = HttpHub.messages(post(15, "tools/call", call, "stream_logs"));
    assertThat(silent).noneMatch(m -> "notifications/message".equals(m.path("method").asText()));
    assertThat(silent.getLast().at("/result/resultType").asText()).isEqualTo("complete");

    List<ObjectNode> logged = HttpHub.messages(hub.post(body(16, "tools/call", call, ",\"io.modelcontextprotocol/logLevel\":\"info\""),
        headers("tools/call", "stream_logs", Map.of())));
    assertThat(logged).filteredOn(m -> "notifications/message".equals(m.path("method").asText())).hasSize(2);

    List<ObjectNode> above = HttpHub.messages(hub.post(body(17, "tools/call", call, ",\"io.modelcontextprotocol/logLevel\":\"error\""),
        headers("tools/call", "stream_logs", Map.of())));
    assertThat(above).noneMatch(m -> "notifications/message".equals(m.path("method").asText()));
  }

  /** Reads an SSE response's messages into a queue as they arrive. */
  private static BlockingQueue<JsonNode> read(InputStream body) {
    BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("data:")) {
            messages.add(Json.parse(line.substring(5).trim()));
          }
        }
      } catch (java.io.IOException e) {
        // closed
      }
    });
    return messages;
  }

  private HttpResponse<InputStream> open(String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(hub.base().resolve("/mcp"))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void aListenStreamIsAcknowledgedThenGetsOnlyTheListChangesItOptedInTo() throws Exception {
    start("servers:\n  alpha:\n    command: " + fake("alpha") + "\n    prefix: a_\n");
    HttpResponse<InputStream> tools = open(body(20, "subscriptions/listen", "\"notifications\":{\"toolsListChanged\":true}", ""),
        headers("subscriptions/listen", null, Map.of()));
    HttpResponse<InputStream> prompts = open(body(21, "subscriptions/listen", "\"notifications\":{\"promptsListChanged\":true}", ""),
        headers("subscriptions/listen", null, Map.of()));
    assertThat(tools.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    BlockingQueue<JsonNode> toolEvents = read(tools.body());
    BlockingQueue<JsonNode> promptEvents = read(prompts.body());
    JsonNode ack = toolEvents.poll(10, TimeUnit.SECONDS);
    assertThat(ack.get("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
    assertThat(ack.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asInt()).isEqualTo(20);
    assertThat(ack.at("/params/notifications").toString()).isEqualTo("{\"toolsListChanged\":true}");
    assertThat(promptEvents.poll(10, TimeUnit.SECONDS).get("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");

    post(22, "tools/call", "\"name\":\"a_add_tool\",\"arguments\":{\"name\":\"fresh\"}", "a_add_tool");
    JsonNode changed = toolEvents.poll(20, TimeUnit.SECONDS);
    assertThat(changed.get("method").asText()).isEqualTo("notifications/tools/list_changed");
    assertThat(changed.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asInt()).isEqualTo(20);
    assertThat(promptEvents.poll(1, TimeUnit.SECONDS)).isNull(); // a bounded look for a notification that must not come
    tools.body().close();
    prompts.body().close();
  }

  @Test
  void aListenStreamGetsUpdatesOfTheResourcesItSubscribedToFromAStatelessBackend() throws Exception {
    start("servers:\n  modern:\n    command: " + FakeModernBackend.command("--name", "modern") + "\n");
    HttpResponse<InputStream> listen = open(body(25, "subscriptions/listen",
        "\"notifications\":{\"resourceSubscriptions\":[\"mem://counter\"]}", ""), headers("subscriptions/listen", null, Map.of()));
    BlockingQueue<JsonNode> events = read(listen.body());
    JsonNode ack = events.poll(10, TimeUnit.SECONDS);
    assertThat(ack.at("/params/notifications").toString()).isEqualTo("{\"resourceSubscriptions\":[\"mem://counter\"]}");
    // The hub subscribes at the backend in the background: touch until an update comes through.
    JsonNode updated = await().atMost(Duration.ofSeconds(20)).until(() -> {
      post(26, "tools/call", "\"name\":\"touch\",\"arguments\":{\"uri\":\"mem://counter\"}", "touch");
      return events.poll(300, TimeUnit.MILLISECONDS);
    }, java.util.Objects::nonNull);
    assertThat(updated.get("method").asText()).isEqualTo("notifications/resources/updated");
    assertThat(updated.at("/params/uri").asText()).isEqualTo("mem://counter");
    assertThat(updated.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asInt()).isEqualTo(25);
    listen.body().close();

    // A resource read keeps the backend's shorter time and narrower scope.
    JsonNode read = only(post(27, "resources/read", "\"uri\":\"mem://counter\"", "mem://counter")).get("result");
    assertThat(read.at("/contents/0/text").asText()).isEqualTo("42");
    assertThat(read.get("ttlMs").asLong()).isEqualTo(1_500);
    assertThat(read.get("cacheScope").asText()).isEqualTo("private");
  }

  @Test
  void aResourceNobodyOwnsIsInvalidParamsNotTheOldResourceNotFoundCode() throws Exception {
    start("servers: {}\n");
    JsonNode missing = only(post(28, "resources/read", "\"uri\":\"file:///nowhere\"", "file:///nowhere"));
    assertThat(missing.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(missing.at("/error/message").asText()).isEqualTo("Resource not found: file:///nowhere");
  }

  @Test
  void shuttingDownEndsAListenStreamWithItsFinalResult() throws Exception {
    start("servers: {}\n");
    HttpResponse<InputStream> listen = open(body(30, "subscriptions/listen", "\"notifications\":{\"toolsListChanged\":true}", ""),
        headers("subscriptions/listen", null, Map.of()));
    BlockingQueue<JsonNode> events = read(listen.body());
    assertThat(events.poll(10, TimeUnit.SECONDS).get("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
    hub.process().destroy(); // SIGTERM
    JsonNode last = events.poll(20, TimeUnit.SECONDS);
    assertThat(last.get("id").asInt()).isEqualTo(30);
    assertThat(last.at("/result/resultType").asText()).isEqualTo("complete");
    assertThat(last.at("/result/_meta/io.modelcontextprotocol~1subscriptionId").asInt()).isEqualTo(30);
    assertThat(hub.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void closingTheResponseStreamCancelsTheBackendCall() throws Exception {
    Path record = dir.resolve("alpha.jsonl");
    start("http:\n  keepalive: 200ms\nservers:\n  alpha:\n    command: " + fake("alpha", "--record", record.toString()) + "\n");
    HttpResponse<InputStream> slow = open(body(40, "tools/call", "\"name\":\"sleep\",\"arguments\":{\"ms\":30000}", ""),
        headers("tools/call", "sleep", Map.of()));
    assertThat(slow.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(record) && Files.readString(record).contains("\"sleep\""));
    slow.body().close();
    await().atMost(Duration.ofSeconds(15)).until(() -> Files.readString(record).contains("notifications/cancelled"));
  }
}
