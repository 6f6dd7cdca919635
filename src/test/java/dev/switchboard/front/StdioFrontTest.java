package dev.switchboard.front;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub in stdio mode as a child process, driven by raw JSON lines. */
class StdioFrontTest {
  @TempDir
  Path dir;

  private HubProcess hub;

  @AfterEach
  void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  private McpLineClient start(String yaml) throws Exception {
    hub = HubProcess.start(dir, yaml);
    return hub.client();
  }

  private static ObjectNode params(String json) {
    return (ObjectNode) Json.parse(json);
  }

  private static List<String> names(JsonNode list, String field) {
    List<String> names = new ArrayList<>();
    list.get(field).forEach(t -> names.add(t.get("name").asText()));
    return names;
  }

  private static String twoBackends(String extra) {
    return """
        servers:
          alpha:
            command: %s
            prefix: a_
          beta:
            command: %s
            prefix: b_
        %s
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--tools", "x,y"),
        HubProcess.fakeBackend("--name", "beta", "--tools", "x"), extra);
  }

  @Test
  void initializeIsAnsweredAtOnceWhileABackendIsStillStarting() throws Exception {
    // "sleep" never answers initialize: the hub must not wait for it.
    McpLineClient client = start("""
        servers:
          stuck:
            command: [sleep, "30"]
        """);
    ObjectNode result = client.result("initialize", params("""
        {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}"""));
    assertThat(result.get("protocolVersion").asText()).isEqualTo("2025-06-18");
    assertThat(result.at("/capabilities/tools/listChanged").asBoolean()).isTrue();
    assertThat(result.at("/capabilities/prompts/listChanged").asBoolean()).isTrue();
    assertThat(result.at("/capabilities/resources/listChanged").asBoolean()).isTrue();
    assertThat(result.at("/serverInfo/name").asText()).isEqualTo("switchboard");
  }

  @Test
  void unknownProtocolVersionGetsTheNewestTheHubSpeaks() throws Exception {
    McpLineClient client = start("servers: {}\n");
    ObjectNode result = client.result("initialize", params("""
        {"protocolVersion":"1999-01-01","capabilities":{},"clientInfo":{"name":"t","version":"1"}}"""));
    assertThat(result.get("protocolVersion").asText()).isEqualTo("2025-11-25");
  }

  @Test
  void malformedInputIsAnsweredWithTheRightErrorsAndTheSessionGoesOn() throws Exception {
    McpLineClient client = start("servers: {}\n");
    client.initialize();

    client.sendRaw("{not json");
    ObjectNode parseError = client.response(Json.MAPPER.nullNode(), McpLineClient.TIMEOUT);
    assertThat(parseError.at("/error/code").asInt()).isEqualTo(-32700);

    client.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":\"no-method\"}");
    ObjectNode invalid = client.response(Json.MAPPER.getNodeFactory().textNode("no-method"), McpLineClient.TIMEOUT);
    assertThat(invalid.at("/error/code").asInt()).isEqualTo(-32600);

    client.sendRaw("{\"jsonrpc\":\"1.0\",\"id\":\"old\",\"method\":\"ping\"}");
    ObjectNode wrongVersion = client.response(Json.MAPPER.getNodeFactory().textNode("old"), McpLineClient.TIMEOUT);
    assertThat(wrongVersion.at("/error/code").asInt()).isEqualTo(-32600);

    ObjectNode unknown = client.request("nope/nothing", Json.object());
    assertThat(unknown.at("/error/code").asInt()).isEqualTo(-32601);
    assertThat(unknown.at("/error/message").asText()).isEqualTo("Method not found: nope/nothing");

    ObjectNode badParams = client.request("tools/call", params("{\"arguments\":{}}"));
    assertThat(badParams.at("/error/code").asInt()).isEqualTo(-32602);

    ObjectNode badLevel = client.request("logging/setLevel", params("{\"level\":\"loud\"}"));
    assertThat(badLevel.at("/error/code").asInt()).isEqualTo(-32602);

    assertThat(client.result("ping", Json.object())).isEmpty();
  }

  @Test
  void aBatchArrayGetsAClearErrorAndTheSessionGoesOn() throws Exception {
    McpLineClient client = start("servers: {}\n");
    client.sendRaw("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
    ObjectNode error = client.response(Json.MAPPER.nullNode(), McpLineClient.TIMEOUT);
    assertThat(error.at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(error.at("/error/message").asText()).contains("batch");
    assertThat(client.result("ping", Json.object())).isEmpty();
  }

  @Test
  void toolsFromTwoBackendsAreMergedInConfigOrderWithPrefixes() throws Exception {
    McpLineClient client = start(twoBackends(""));
    client.initialize();
    ObjectNode list = client.result("tools/list", Json.object());
    assertThat(names(list, "tools")).containsExactly(
        "a_x", "a_y", "a_sleep", "a_pid", "a_crash", "a_progress", "a_add_tool", "a_hang", "a_ask",
        "b_x", "b_sleep", "b_pid", "b_crash", "b_progress", "b_add_tool", "b_hang", "b_ask");
    assertThat(list.has("nextCursor")).isFalse();
  }

  @Test
  void aCallIsRoutedByExposedNameAndTheHubStripsThePrefix() throws Exception {
    Path record = dir.resolve("beta.jsonl");
    McpLineClient client = start("""
        servers:
          beta:
            command: %s
            prefix: b_
        """.formatted(HubProcess.fakeBackend("--name", "beta", "--tools", "x", "--record", record.toString())));
    client.initialize();
    ObjectNode result = client.result("tools/call", params("{\"name\":\"b_x\",\"arguments\":{\"q\":1,\"extra\":{\"kept\":true}}}"));
    assertThat(result.at("/content/0/text").asText()).isEqualTo("beta:x {\"q\":1,\"extra\":{\"kept\":true}}");
    List<String> received = Files.readAllLines(record);
    assertThat(received).anySatisfy(line -> assertThat(line).contains("\"method\":\"tools/call\"").contains("\"name\":\"x\""));
    assertThat(received).noneMatch(line -> line.contains("b_x"));
  }

  @Test
  void onACollisionTheLaterServersToolIsDroppedWithAWarningNamingBoth() throws Exception {
    McpLineClient client = start("""
        servers:
          first:
            command: %s
          second:
            command: %s
        """.formatted(HubProcess.fakeBackend("--name", "first", "--tools", "x"),
        HubProcess.fakeBackend("--name", "second", "--tools", "x,only_second")));
    client.initialize();
    ObjectNode list = client.result("tools/list", Json.object());
    assertThat(names(list, "tools")).containsExactly(
        "x", "sleep", "pid", "crash", "progress", "add_tool", "hang", "ask", "only_second");
    ObjectNode result = client.result("tools/call", params("{\"name\":\"x\",\"arguments\":{}}"));
    assertThat(result.at("/content/0/text").asText()).startsWith("first:x");
    hub.awaitLog(line -> line.contains("'x' of server 'second' collides with server 'first'"), Duration.ofSeconds(10));
  }

  @Test
  void aNameNobodyOwnsGoesToTheDefaultServer() throws Exception {
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
            prefix: a_
          misc:
            command: %s
            default: true
            prefix: m_
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--tools", "x"),
        HubProcess.fakeBackend("--name", "misc", "--tools", "legacy")));
    client.initialize();
    ObjectNode result = client.result("tools/call", params("{\"name\":\"legacy\",\"arguments\":{}}"));
    assertThat(result.at("/content/0/text").asText()).startsWith("misc:legacy");
  }

  @Test
  void aNameNobodyOwnsWithoutADefaultServerFailsWithTheExactError() throws Exception {
    McpLineClient client = start(twoBackends(""));
    client.initialize();
    ObjectNode response = client.request("tools/call", params("{\"name\":\"db_drop\",\"arguments\":{}}"));
    assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(response.at("/error/message").asText()).isEqualTo("No server registered for tool: db_drop");
  }

  @Test
  void paginationWalksTheMergedListAcrossBackendsThatPaginateThemselves() throws Exception {
    McpLineClient client = start("""
        hub:
          page_size: 3
        servers:
          alpha:
            command: %s
            prefix: a_
          beta:
            command: %s
            prefix: b_
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--tools", "p,q,r", "--page-size", "2"),
        HubProcess.fakeBackend("--name", "beta", "--tools", "s", "--page-size", "4")));
    client.initialize();
    List<String> all = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      ObjectNode params = Json.object();
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      ObjectNode page = client.result("tools/list", params);
      List<String> names = names(page, "tools");
      assertThat(names.size()).isLessThanOrEqualTo(3);
      all.addAll(names);
      cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
      pages++;
    } while (cursor != null && pages < 20);
    assertThat(all).containsExactly(
        "a_p", "a_q", "a_r", "a_sleep", "a_pid", "a_crash", "a_progress", "a_add_tool", "a_hang", "a_ask",
        "b_s", "b_sleep", "b_pid", "b_crash", "b_progress", "b_add_tool", "b_hang", "b_ask");
    assertThat(pages).isEqualTo(6);

    ObjectNode bad = client.request("tools/list", params("{\"cursor\":\"not-a-cursor\"}"));
    assertThat(bad.at("/error/code").asInt()).isEqualTo(-32602);
  }

  @Test
  void aBackendListChangedRefreshesTheCatalogAndTellsTheClient() throws Exception {
    McpLineClient client = start(twoBackends(""));
    client.initialize();
    client.result("tools/list", Json.object());
    client.result("tools/call", params("{\"name\":\"a_add_tool\",\"arguments\":{\"name\":\"fresh\"}}"));
    client.awaitNotification(n -> n.get("method").asText().equals("notifications/tools/list_changed"), Duration.ofSeconds(15));
    assertThat(names(client.result("tools/list", Json.object()), "tools")).contains("a_fresh");
    assertThat(client.result("tools/call", params("{\"name\":\"a_fresh\",\"arguments\":{}}")).at("/content/0/text").asText())
        .startsWith("alpha:fresh");
  }

  @Test
  void setLevelIsFannedOutToEveryBackendAndFiltersTheLogsAClientGets() throws Exception {
    Path recordA = dir.resolve("a.jsonl");
    Path recordB = dir.resolve("b.jsonl");
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
            prefix: a_
          beta:
            command: %s
            prefix: b_
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--record", recordA.toString()),
        HubProcess.fakeBackend("--name", "beta", "--record", recordB.toString())));
    client.initialize();
    client.result("tools/list", Json.object());
    assertThat(client.result("logging/setLevel", params("{\"level\":\"warning\"}"))).isEmpty();
    for (Path record : List.of(recordA, recordB)) {
      assertThat(Files.readAllLines(record)).anySatisfy(line ->
          assertThat(line).contains("\"method\":\"logging/setLevel\"").contains("\"level\":\"warning\""));
    }
    ObjectNode quiet = client.result("tools/call", params("{\"name\":\"web_stream_logs\",\"arguments\":{\"count\":2,\"interval_ms\":0}}"));
    assertThat(quiet.get("isError").asBoolean()).isFalse();
    assertThat(client.notifications()).noneMatch(r -> r.message().get("method").asText().equals("notifications/message"));

    client.result("logging/setLevel", params("{\"level\":\"debug\"}"));
    client.result("tools/call", params("{\"name\":\"web_stream_logs\",\"arguments\":{\"count\":2,\"interval_ms\":0}}"));
    assertThat(client.notifications()).filteredOn(r -> r.message().get("method").asText().equals("notifications/message"))
        .hasSize(2);
  }

  @Test
  void aStdioClientGetsThePrincipalNamedByStdioUser() throws Exception {
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
            prefix: a_
            requires: [alpha.use]
          beta:
            command: %s
            prefix: b_
        users:
          bob: { token: unused-here, capabilities: [] }
        stdio:
          user: bob
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--tools", "x"), HubProcess.fakeBackend("--name", "beta", "--tools", "y")));
    client.initialize();
    assertThat(names(client.result("tools/list", Json.object()), "tools")).contains("b_y").noneMatch(n -> n.startsWith("a_"));
    ObjectNode refused = client.request("tools/call", params("{\"name\":\"a_x\",\"arguments\":{}}"));
    assertThat(refused.at("/error/message").asText()).isEqualTo("No server registered for tool: a_x");
  }

  @Test
  void nothingButJsonRpcReachesStdout() throws Exception {
    McpLineClient client = start(twoBackends(""));
    client.initialize();
    client.result("tools/list", Json.object());
    client.request("tools/call", params("{\"name\":\"nope\",\"arguments\":{}}"));
    hub.stop(Duration.ofSeconds(30));
    assertThat(client.nonJsonLines()).isEmpty();
    assertThat(hub.stderr()).anyMatch(line -> line.contains("hub starting"));
  }
}
