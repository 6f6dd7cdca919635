package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.testing.FakeHttpBackend;
import dev.switchboard.testing.FakeModernBackend;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub between the protocol eras, as a child process on stdio: a stateless-era client (2026-07-28,
 * no initialize) reaches a handshake-era backend, and a handshake-era client (initialize, a session)
 * reaches stateless-era backends on stdio and over HTTP: listing, calling, list changes from the
 * backend's listen stream, {@code input_required} passed through, health probes and cancellation.
 */
class EraBridgeTest {
  private static final String META = """
      "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
       "io.modelcontextprotocol/clientInfo":{"name":"modern-client","version":"1"},
       "io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}}""";

  @TempDir
  Path dir;

  private HubProcess hub;
  private FakeHttpBackend http;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
    if (http != null) {
      http.close();
    }
  }

  private McpLineClient start(String yaml) throws Exception {
    hub = HubProcess.start(dir, yaml);
    return hub.client();
  }

  private static ObjectNode params(String json) {
    return (ObjectNode) Json.parse(json);
  }

  /** The messages a fake recorded (FakeBackend ends each with a NUL byte, FakeModernBackend with a newline). */
  private static List<JsonNode> lines(Path record) throws Exception {
    return java.util.Arrays.stream(Files.readString(record).split("[\\n\\x00]"))
        .filter(line -> !line.isBlank()).map(line -> (JsonNode) Json.parse(line)).toList();
  }

  @Test
  void aStatelessClientReachesAHandshakeEraBackendWithoutInitialize() throws Exception {
    Path record = dir.resolve("legacy.jsonl");
    McpLineClient client = start("servers:\n  old:\n    command: %s\n    prefix: o_\n".formatted(
        HubProcess.fakeBackend("--name", "old", "--tools", "t", "--record", record.toString())));

    ObjectNode discover = client.result("server/discover", params("{" + META + "}"));
    assertThat(discover.get("supportedVersions").toString()).contains("2026-07-28", "2025-11-25");
    assertThat(discover.at("/_meta/io.modelcontextprotocol~1serverInfo/name").asText()).isEqualTo("switchboard");

    ObjectNode list = client.result("tools/list", params("{" + META + "}"));
    assertThat(list.get("tools").findValuesAsText("name")).contains("o_t");
    assertThat(list.get("resultType").asText()).isEqualTo("complete");
    assertThat(list.get("ttlMs").asLong()).isEqualTo(10_000);
    assertThat(list.get("cacheScope").asText()).isEqualTo("public");

    ObjectNode call = client.result("tools/call", params("{\"name\":\"o_t\",\"arguments\":{\"k\":1}," + META + "}"));
    assertThat(call.at("/content/0/text").asText()).isEqualTo("old:t {\"k\":1}");
    assertThat(call.get("resultType").asText()).isEqualTo("complete");

    // The backend was initialized by the hub, and never saw the stateless era's _meta keys.
    List<JsonNode> received = lines(record);
    assertThat(received).anySatisfy(m -> assertThat(JsonRpc.method(m)).isEqualTo("initialize"));
    JsonNode forwarded = received.stream().filter(m -> "tools/call".equals(JsonRpc.method(m))).findFirst().orElseThrow();
    assertThat(forwarded.toString()).doesNotContain("io.modelcontextprotocol/");
    assertThat(client.nonJsonLines()).isEmpty();
  }

  @Test
  void aStatelessRequestOnStdioIsCheckedLikeOnHttp() throws Exception {
    McpLineClient client = start("servers: {}\n");
    ObjectNode missing = client.request("tools/list", params("{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}"));
    assertThat(missing.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(missing.at("/error/message").asText()).contains("io.modelcontextprotocol/clientCapabilities");

    ObjectNode unsupported = client.request("tools/list", params("""
        {"_meta":{"io.modelcontextprotocol/protocolVersion":"2099-01-01","io.modelcontextprotocol/clientCapabilities":{}}}"""));
    assertThat(unsupported.at("/error/code").asInt()).isEqualTo(-32022);
    assertThat(unsupported.at("/error/data/requested").asText()).isEqualTo("2099-01-01");
    assertThat(unsupported.at("/error/data/supported").toString()).contains("2026-07-28");

    ObjectNode ping = client.request("ping", params("{" + META + "}"));
    assertThat(ping.at("/error/code").asInt()).isEqualTo(-32601);
  }

  /**
   * A request read just before end of input used to be missed by the drain: the reader that hit EOF
   * ended the session while the reader of the last line had not yet handed it over.
   */
  @Test
  void aStatelessRequestSentJustBeforeStdinClosesIsStillAnswered() throws Exception {
    McpLineClient client = start("servers:\n  old:\n    command: %s\n".formatted(HubProcess.fakeBackend("--name", "old", "--tools", "t")));
    long id = client.requestAsync("tools/list", params("{" + META + "}"));
    client.close();
    assertThat(client.response(id).at("/result/tools").findValuesAsText("name")).contains("t");
  }

  @Test
  void aListenSubscriptionOnStdioIsTaggedAndEndsWhenCancelled() throws Exception {
    hub = HubProcess.start(dir, "servers:\n  old:\n    command: %s\n".formatted(HubProcess.fakeBackend("--name", "old")),
        "--log-level", "debug");
    McpLineClient client = hub.client();
    long listen = client.requestAsync("subscriptions/listen", params("{\"notifications\":{\"toolsListChanged\":true}," + META + "}"));
    ObjectNode ack = client.awaitNotification(m -> "notifications/subscriptions/acknowledged".equals(JsonRpc.method(m)),
        Duration.ofSeconds(10));
    assertThat(ack.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asLong()).isEqualTo(listen);

    client.result("tools/call", params("{\"name\":\"add_tool\",\"arguments\":{\"name\":\"one\"}," + META + "}"));
    ObjectNode changed = client.awaitNotification(m -> "notifications/tools/list_changed".equals(JsonRpc.method(m)),
        Duration.ofSeconds(20));
    assertThat(changed.at("/params/_meta/io.modelcontextprotocol~1subscriptionId").asLong()).isEqualTo(listen);

    client.send(JsonRpc.notification("notifications/cancelled", params("{\"requestId\":" + listen + "}")));
    hub.awaitLog(l -> l.contains("subscription " + listen + " cancelled by the client"), Duration.ofSeconds(5));
    client.result("tools/call", params("{\"name\":\"add_tool\",\"arguments\":{\"name\":\"two\"}," + META + "}"));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        client.result("tools/list", params("{" + META + "}")).get("tools").findValuesAsText("name").contains("two"));
    assertThat(client.notifications()).filteredOn(r -> "notifications/tools/list_changed".equals(JsonRpc.method(r.message())))
        .hasSize(1);
  }

  @Test
  void aHandshakeClientReachesAStatelessStdioBackend() throws Exception {
    Path record = dir.resolve("modern.jsonl");
    McpLineClient client = start("servers:\n  new:\n    command: %s\n    prefix: n_\n".formatted(
        FakeModernBackend.command("--name", "new", "--record", record.toString())));
    client.initialize();
    ObjectNode list = client.result("tools/list", Json.object());
    assertThat(list.get("tools").findValuesAsText("name")).contains("n_echo", "n_ask", "n_add_tool");

    ObjectNode echo = client.result("tools/call", params("{\"name\":\"n_echo\",\"arguments\":{\"a\":1}}"));
    assertThat(echo.at("/content/0/text").asText()).isEqualTo("modern:echo {\"a\":1}");

    // input_required passes through unchanged; the retry carries the answer and the state back.
    ObjectNode ask = client.result("tools/call", params("{\"name\":\"n_ask\",\"arguments\":{}}"));
    assertThat(ask.get("resultType").asText()).isEqualTo("input_required");
    assertThat(ask.at("/inputRequests/name/method").asText()).isEqualTo("elicitation/create");
    ObjectNode answered = client.result("tools/call", params("""
        {"name":"n_ask","arguments":{},"requestState":"%s",
         "inputResponses":{"name":{"action":"accept","content":{"name":"Alice"}}}}""".formatted(ask.get("requestState").asText())));
    assertThat(answered.at("/content/0/text").asText()).isEqualTo("hello Alice");

    // A list change announced on the backend's listen stream reaches the session that listed tools.
    client.result("tools/call", params("{\"name\":\"n_add_tool\",\"arguments\":{\"name\":\"fresh\"}}"));
    client.awaitNotification(m -> "notifications/tools/list_changed".equals(JsonRpc.method(m)), Duration.ofSeconds(20));
    assertThat(client.result("tools/list", Json.object()).get("tools").findValuesAsText("name")).contains("n_fresh");

    List<JsonNode> received = lines(record);
    assertThat(JsonRpc.method(received.getFirst())).isEqualTo("server/discover");
    assertThat(received).noneMatch(m -> List.of("initialize", "ping", "logging/setLevel").contains(JsonRpc.method(m)));
    assertThat(received).filteredOn(m -> m.has("id")).allSatisfy(m ->
        assertThat(m.at("/params/_meta/io.modelcontextprotocol~1protocolVersion").asText()).isEqualTo("2026-07-28"));
    assertThat(received).anySatisfy(m -> assertThat(JsonRpc.method(m)).isEqualTo("subscriptions/listen"));
  }

  @Test
  void aStatelessBackendIsProbedWithDiscoverAndReprobedAfterARestart() throws Exception {
    Path record = dir.resolve("modern.jsonl");
    McpLineClient client = start("hub:\n  health_interval: 300ms\nservers:\n  new:\n    command: %s\n".formatted(
        FakeModernBackend.command("--name", "new", "--record", record.toString())));
    client.initialize();
    client.result("tools/list", Json.object());
    await().atMost(Duration.ofSeconds(20)).until(() ->
        lines(record).stream().filter(m -> "server/discover".equals(JsonRpc.method(m))).count() >= 3); // probe + health probes
    assertThat(lines(record)).noneMatch(m -> "ping".equals(JsonRpc.method(m)));

    ObjectNode crash = client.request("tools/call", params("{\"name\":\"crash\",\"arguments\":{\"code\":3}}"));
    assertThat(crash.at("/error/message").asText()).contains("exited (code 3)");
    hub.awaitLog(l -> l.contains("backend=new speaks 2026-07-28 (stateless era)"), Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(30)).until(() -> hub.stderr().stream()
        .filter(l -> l.contains("backend=new speaks 2026-07-28 (stateless era)")).count() >= 2);
  }

  @Test
  void cancellingACallToAStatelessStdioBackendTellsIt() throws Exception {
    Path record = dir.resolve("modern.jsonl");
    McpLineClient client = start("servers:\n  new:\n    command: %s\n".formatted(
        FakeModernBackend.command("--name", "new", "--record", record.toString())));
    long id = client.requestAsync("tools/call", params("{\"name\":\"sleep\",\"arguments\":{\"ms\":20000}," + META + "}"));
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(record) && Files.readString(record).contains("\"sleep\""));
    client.send(JsonRpc.notification("notifications/cancelled", params("{\"requestId\":" + id + ",\"reason\":\"user\"}")));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(record).contains("notifications/cancelled"));
  }

  @Test
  void aHandshakeClientReachesAStatelessHttpBackendWithTheEraHeaders() throws Exception {
    http = FakeHttpBackend.start(FakeHttpBackend.Mode.MODERN);
    McpLineClient client = start("servers:\n  web:\n    url: %s\n    prefix: w_\n".formatted(http.url()));
    client.initialize();
    ObjectNode list = client.result("tools/list", Json.object());
    assertThat(list.get("tools").findValuesAsText("name")).contains("w_echo", "w_region").doesNotContain("w_bad_header");
    hub.awaitLog(l -> l.contains("backend=web tool 'bad_header' left out: x-mcp-header on property 'data' needs type"),
        Duration.ofSeconds(5));

    ObjectNode region = client.result("tools/call", params("{\"name\":\"w_region\",\"arguments\":{\"region\":\"Zürich \",\"query\":\"q\"}}"));
    assertThat(region.at("/content/0/text").asText()).isEqualTo("region Zürich ");
    FakeHttpBackend.Received call = http.received().stream()
        .filter(r -> "tools/call".equals(r.rpcMethod())).findFirst().orElseThrow();
    assertThat(call.header("MCP-Protocol-Version")).isEqualTo("2026-07-28");
    assertThat(call.header("Mcp-Method")).isEqualTo("tools/call");
    assertThat(call.header("Mcp-Name")).isEqualTo("region");
    assertThat(call.header("Mcp-Param-Region")).isEqualTo("=?base64?WsO8cmljaCA=?=");
    assertThat(call.header("Mcp-Session-Id")).isNull();
    assertThat(http.count("initialize")).isZero();

    ObjectNode ask = client.result("tools/call", params("{\"name\":\"w_ask\",\"arguments\":{}}"));
    assertThat(ask.get("resultType").asText()).isEqualTo("input_required");

    await().atMost(Duration.ofSeconds(10)).until(() -> http.listenStreams() == 1);
    client.result("tools/call", params("{\"name\":\"w_add_tool\",\"arguments\":{\"name\":\"later\"}}"));
    client.awaitNotification(m -> "notifications/tools/list_changed".equals(JsonRpc.method(m)), Duration.ofSeconds(20));
    assertThat(client.result("tools/list", Json.object()).get("tools").findValuesAsText("name")).contains("w_later");
  }

  @Test
  void aHandshakeEraUrlBackendIsFoundByTheStatelessProbeFailing() throws Exception {
    http = FakeHttpBackend.start(FakeHttpBackend.Mode.STREAMABLE);
    McpLineClient client = start("servers:\n  old:\n    url: %s\n".formatted(http.url()));
    client.initialize();
    assertThat(client.result("tools/list", Json.object()).get("tools").findValuesAsText("name")).contains("echo_json");
    hub.awaitLog(l -> l.contains("backend=old is not a stateless-era server; using the handshake era"), Duration.ofSeconds(5));
    assertThat(http.count("server/discover")).isEqualTo(1);
    assertThat(http.count("initialize")).isEqualTo(1);
  }
}
