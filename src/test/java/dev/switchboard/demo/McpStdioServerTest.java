package dev.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.ProtocolVersion;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine, driven over in-memory streams with a few test tools and the web demo's stream_logs. */
class McpStdioServerTest {

  record Finished(JsonNode id, String tool, boolean cancelled) {}

  private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
  private InProcessServer client;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (client != null) {
      client.close();
    }
  }

  private InProcessServer start(int pageSize) {
    List<DemoTool> tools = new ArrayList<>(testTools());
    tools.addAll(new WebTools(InstantSource.system()).tools());
    client = new InProcessServer(new McpStdioServer("test-server", "1.2.3", "Test instructions.", tools, pageSize,
        (id, tool, cancelled) -> finished.add(new Finished(id, tool, cancelled))));
    return client;
  }

  private InProcessServer start() {
    return start(0);
  }

  private static List<DemoTool> testTools() {
    ObjectNode schema = Json.object().put("type", "object");
    return List.of(
        new DemoTool("echo", "Echo", "Returns its message.", schema, DemoTool.annotations(null, true, false, true, false),
            (args, ctx) -> {
              String message = Json.text(args, "message");
              if (message == null) {
                throw new IllegalArgumentException("Missing required argument: message");
              }
              return ToolResults.structured(message, Json.object().put("echoed", message));
            }),
        new DemoTool("fail", null, "Always fails as a tool.", schema, null,
            (args, ctx) -> { throw new ToolFailure("no luck this time"); }),
        new DemoTool("protocol_error", null, "Fails with a JSON-RPC error.", schema, null,
            (args, ctx) -> { throw McpError.invalidParams("the thing is wrong"); }),
        new DemoTool("broken", null, "Has a bug.", schema, null,
            (args, ctx) -> { throw new IllegalStateException("oops"); }),
        new DemoTool("log_all", null, "Logs once at each of four levels.", schema, null,
            (args, ctx) -> {
              for (String level : List.of("debug", "info", "warning", "error")) {
                ctx.log(level, "log_all", TextNode.valueOf(level + " line"));
              }
              return ToolResults.text("logged");
            }));
  }

  private static ObjectNode streamArgs(int count, int intervalMs) {
    return Json.object().put("count", count).put("interval_ms", intervalMs);
  }

  private static ObjectNode withProgressToken(ObjectNode params, String token) {
    params.putObject("_meta").put("progressToken", token);
    return params;
  }

  private static List<String> methods(List<JsonNode> messages) {
    return messages.stream().map(m -> m.has("method") ? Json.text(m, "method") : "response").toList();
  }

  @Test
  void initializeNegotiatesTheClientsVersionAndAdvertisesToolsAndLogging() {
    InProcessServer server = start();
    JsonNode response = server.request("initialize", Json.object()
        .put("protocolVersion", ProtocolVersion.V2025_06_18)
        .<ObjectNode>set("capabilities", Json.object())
        .set("clientInfo", Json.object().put("name", "test").put("version", "1")));

    JsonNode result = response.get("result");
    assertThat(result.get("protocolVersion").asText()).isEqualTo(ProtocolVersion.V2025_06_18);
    assertThat(result.get("capabilities")).isEqualTo(Json.parse("{\"tools\":{\"listChanged\":false},\"logging\":{}}"));
    assertThat(result.get("serverInfo")).isEqualTo(Json.parse("{\"name\":\"test-server\",\"version\":\"1.2.3\"}"));
    assertThat(result.get("instructions").asText()).isEqualTo("Test instructions.");
    server.send(JsonRpc.notification("notifications/initialized", null));
    assertThat(server.request("ping", null).get("result")).isEqualTo(Json.object());
  }

  @Test
  void initializeWithAnUnsupportedVersionAnswersWithTheLatest() {
    JsonNode result = start().request("initialize", Json.object().put("protocolVersion", "1999-01-01")).get("result");

    assertThat(result.get("protocolVersion").asText()).isEqualTo(ProtocolVersion.LATEST_HANDSHAKE);
  }

  @Test
  void toolsListReturnsEveryToolInOrderOnOnePage() {
    JsonNode result = start().request("tools/list", null).get("result");

    assertThat(result.get("tools").findValuesAsText("name"))
        .containsExactly("echo", "fail", "protocol_error", "broken", "log_all", "get_weather", "stream_logs");
    assertThat(result.has("nextCursor")).isFalse();
    JsonNode echo = result.get("tools").get(0);
    assertThat(echo.get("title").asText()).isEqualTo("Echo");
    assertThat(echo.get("inputSchema")).isEqualTo(Json.object().put("type", "object"));
    assertThat(echo.at("/annotations/readOnlyHint").asBoolean()).isTrue();
  }

  @Test
  void toolsListPagesWithNextCursorWhenAPageSizeIsSet() {
    InProcessServer server = start(3);
    List<String> names = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    ObjectNode params = Json.object();
    while (true) {
      JsonNode result = server.request("tools/list", params).get("result");
      pageSizes.add(result.get("tools").size());
      names.addAll(result.get("tools").findValuesAsText("name"));
      if (!result.has("nextCursor")) {
        break;
      }
      params = Json.object().put("cursor", result.get("nextCursor").asText());
    }

    assertThat(pageSizes).containsExactly(3, 3, 1);
    assertThat(names).containsExactly("echo", "fail", "protocol_error", "broken", "log_all", "get_weather", "stream_logs");
  }

  @Test
  void toolsListRefusesAnUnknownCursor() {
    JsonNode response = start(2).request("tools/list", Json.object().put("cursor", "not-a-cursor"));

    assertThat(response.at("/error/code").asInt()).isEqualTo(McpError.INVALID_PARAMS);
    assertThat(response.at("/error/message").asText()).contains("unknown cursor \"not-a-cursor\"");
  }

  @Test
  void toolsCallReturnsTheToolsResult() {
    JsonNode result = start().callTool("echo", Json.object().put("message", "hello"));

    assertThat(result).isEqualTo(Json.parse("""
        {"content":[{"type":"text","text":"hello"}],"isError":false,"structuredContent":{"echoed":"hello"}}"""));
  }

  @Test
  void unknownToolIsAnInvalidParamsErrorNamingTheTool() {
    JsonNode response = start().request("tools/call", InProcessServer.toolCall("nope", null));

    assertThat(response.get("error")).isEqualTo(Json.parse("{\"code\":-32602,\"message\":\"Unknown tool: nope\"}"));
  }

  @Test
  void toolFailureBecomesAResultWithIsErrorTrue() {
    JsonNode result = start().callTool("fail", null);

    assertThat(result).isEqualTo(Json.parse("""
        {"content":[{"type":"text","text":"no luck this time"}],"isError":true}"""));
  }

  @Test
  void illegalArgumentFromAToolBecomesAResultWithIsErrorTrue() {
    JsonNode result = start().callTool("echo", Json.object());

    assertThat(result.get("isError").asBoolean()).isTrue();
    assertThat(result.at("/content/0/text").asText()).isEqualTo("Missing required argument: message");
  }

  @Test
  void mcpErrorFromAToolBecomesAJsonRpcError() {
    JsonNode response = start().request("tools/call", InProcessServer.toolCall("protocol_error", null));

    assertThat(response.get("error")).isEqualTo(Json.parse("{\"code\":-32602,\"message\":\"Invalid params: the thing is wrong\"}"));
  }

  @Test
  void unexpectedExceptionFromAToolBecomesAnInternalErrorNamingTheTool() {
    JsonNode response = start().request("tools/call", InProcessServer.toolCall("broken", null));

    assertThat(response.at("/error/code").asInt()).isEqualTo(McpError.INTERNAL_ERROR);
    assertThat(response.at("/error/message").asText()).isEqualTo("Internal error: tool broken failed: java.lang.IllegalStateException: oops");
  }

  @Test
  void argumentsThatAreNotAnObjectAreInvalidParams() {
    ObjectNode params = Json.object().put("name", "echo").put("arguments", "hello");

    JsonNode response = start().request("tools/call", params);

    assertThat(response.get("error")).isEqualTo(Json.parse(
        "{\"code\":-32602,\"message\":\"Invalid params: \\\"arguments\\\" of tool echo must be an object, got string\"}"));
  }

  @Test
  void malformedLineIsAnsweredWithParseErrorAndTheNextLineIsStillServed() {
    InProcessServer server = start();
    server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");

    JsonNode error = server.next();
    JsonNode ping = server.request("ping", null);

    assertThat(error.get("id").isNull()).isTrue();
    assertThat(error.at("/error/code").asInt()).isEqualTo(McpError.PARSE_ERROR);
    assertThat(ping.get("result")).isEqualTo(Json.object());
  }

  @Test
  void badEnvelopeIsAnsweredWithInvalidRequestAndItsId() {
    InProcessServer server = start();
    server.sendLine("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"ping\"}");
    server.sendLine("[1,2]");

    JsonNode wrongVersion = server.next();
    JsonNode batch = server.next();

    assertThat(wrongVersion.get("id").asInt()).isEqualTo(7);
    assertThat(wrongVersion.get("error")).isEqualTo(Json.parse(
        "{\"code\":-32600,\"message\":\"Invalid request: \\\"jsonrpc\\\" must be \\\"2.0\\\"\"}"));
    assertThat(batch.at("/error/code").asInt()).isEqualTo(McpError.INVALID_REQUEST);
    assertThat(batch.get("id").isNull()).isTrue();
  }

  @Test
  void oversizedLineIsRefusedAndTheNextLineIsStillServed() {
    InProcessServer server = start();
    server.sendLine("\"" + "x".repeat(StdioConnection.MAX_MESSAGE_BYTES) + "\"");

    JsonNode error = server.next();
    JsonNode ping = server.request("ping", null);

    assertThat(error.get("error")).isEqualTo(Json.parse("{\"code\":-32600,\"message\":\"Invalid request: message larger than "
        + StdioConnection.MAX_MESSAGE_BYTES + " bytes\"}"));
    assertThat(ping.get("result")).isEqualTo(Json.object());
  }

  @Test
  void unknownMethodIsMethodNotFound() {
    JsonNode response = start().request("resources/list", null);

    assertThat(response.get("error")).isEqualTo(Json.parse("{\"code\":-32601,\"message\":\"Method not found: resources/list\"}"));
  }

  @Test
  void notificationsAndStrayResponsesGetNoAnswer() {
    InProcessServer server = start();
    server.send(JsonRpc.notification("notifications/initialized", null));
    server.send(JsonRpc.notification("notifications/something_new", Json.object()));
    server.send(JsonRpc.notification("notifications/cancelled", Json.object().put("requestId", 999)));
    server.send(JsonRpc.result(TextNode.valueOf("nobody-asked"), Json.object()));
    server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"method\":\"ping\"}");

    JsonNode first = server.next();

    assertThat(first).isEqualTo(Json.parse("{\"jsonrpc\":\"2.0\",\"id\":\"after\",\"result\":{}}"));
  }

  @Test
  void setLevelHidesLogMessagesBelowIt() {
    InProcessServer server = start();
    List<JsonNode> everything = server.callToolMessages("log_all", null);
    assertThat(server.request("logging/setLevel", Json.object().put("level", "warning")).get("result")).isEqualTo(Json.object());

    List<JsonNode> filtered = server.callToolMessages("log_all", null);

    assertThat(levels(everything)).containsExactly("debug", "info", "warning", "error");
    assertThat(levels(filtered)).containsExactly("warning", "error");
    assertThat(methods(filtered)).containsExactly("notifications/message", "notifications/message", "response");
  }

  private static List<String> levels(List<JsonNode> messages) {
    return messages.stream().filter(m -> "notifications/message".equals(Json.text(m, "method")))
        .map(m -> m.at("/params/level").asText()).toList();
  }

  @Test
  void setLevelRefusesAnUnknownLevel() {
    JsonNode response = start().request("logging/setLevel", Json.object().put("level", "verbose"));

    assertThat(response.get("error")).isEqualTo(Json.parse("{\"code\":-32602,\"message\":\"Invalid params: unknown log level "
        + "'verbose'; expected one of debug, info, notice, warning, error, critical, alert, emergency\"}"));
  }

  @Test
  void progressIsSentOnlyWhenTheCallHasAProgressToken() {
    InProcessServer server = start();
    JsonNode withoutToken = server.sendRequest("tools/call", InProcessServer.toolCall("stream_logs", streamArgs(2, 0)));
    List<JsonNode> plain = server.untilResponse(withoutToken);
    JsonNode withToken = server.sendRequest("tools/call",
        withProgressToken(InProcessServer.toolCall("stream_logs", streamArgs(2, 0)), "tok-1"));
    List<JsonNode> tracked = server.untilResponse(withToken);

    assertThat(methods(plain)).containsExactly("notifications/message", "notifications/message", "response");
    assertThat(methods(tracked)).containsExactly(
        "notifications/progress", "notifications/message", "notifications/progress", "notifications/message", "response");
    JsonNode progress = tracked.getFirst().get("params");
    assertThat(progress.get("progressToken").asText()).isEqualTo("tok-1");
    assertThat(progress.get("progress").asInt()).isEqualTo(1);
    assertThat(progress.get("total").asInt()).isEqualTo(2);
    assertThat(progress.get("message").asText()).contains("line 1 of 2");
  }

  @Test
  void cancellationStopsStreamLogsEarlyAndItsResponseIsNotSent() throws InterruptedException {
    InProcessServer server = start();
    JsonNode id = server.sendRequest("tools/call",
        withProgressToken(InProcessServer.toolCall("stream_logs", streamArgs(1000, 20)), "tok-c"));
    List<JsonNode> before = server.untilMethod("notifications/progress");

    server.send(JsonRpc.notification("notifications/cancelled", Json.object().<ObjectNode>set("requestId", id).put("reason", "test")));
    Finished done = finished.poll(InProcessServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    List<JsonNode> after = server.untilResponse(server.sendRequest("ping", null));

    assertThat(done).isEqualTo(new Finished(id, "stream_logs", true));
    assertThat(after).noneMatch(m -> !m.has("method") && id.equals(m.get("id")));
    long progressCount = before.size() + after.stream().filter(m -> "notifications/progress".equals(Json.text(m, "method"))).count();
    assertThat(progressCount).isLessThan(1000);
  }

  @Test
  void pingIsAnsweredWhileStreamLogsIsRunning() {
    InProcessServer server = start();
    JsonNode streamId = server.sendRequest("tools/call",
        withProgressToken(InProcessServer.toolCall("stream_logs", streamArgs(1000, 20)), "tok-p"));
    server.untilMethod("notifications/progress");

    List<JsonNode> untilPong = server.untilResponse(server.sendRequest("ping", null));

    assertThat(untilPong.getLast().get("result")).isEqualTo(Json.object());
    assertThat(untilPong).noneMatch(m -> !m.has("method") && streamId.equals(m.get("id")));
    server.send(JsonRpc.notification("notifications/cancelled", Json.object().set("requestId", streamId)));
  }

  @Test
  void reusingTheIdOfACallInProgressIsRefused() {
    InProcessServer server = start();
    ObjectNode call = InProcessServer.toolCall("stream_logs", streamArgs(1000, 20));
    server.send(JsonRpc.request(TextNode.valueOf("same"), "tools/call", withProgressToken(call, "tok-r")));
    server.untilMethod("notifications/progress");

    server.send(JsonRpc.request(TextNode.valueOf("same"), "tools/call", InProcessServer.toolCall("echo", Json.object().put("message", "x"))));
    List<JsonNode> messages = server.untilResponse(TextNode.valueOf("same"));

    assertThat(messages.getLast().get("error")).isEqualTo(Json.parse(
        "{\"code\":-32600,\"message\":\"Invalid request: id \\\"same\\\" is already used by a request in progress\"}"));
    server.send(JsonRpc.notification("notifications/cancelled", Json.object().put("requestId", "same")));
  }

  @Test
  void endOfInputLetsACallInProgressFinishThenRunReturns() throws InterruptedException {
    InProcessServer server = start();
    JsonNode id = server.sendRequest("tools/call", InProcessServer.toolCall("stream_logs", streamArgs(3, 50)));

    server.endInput();
    List<JsonNode> messages = server.untilResponse(id);

    assertThat(messages.getLast().at("/result/structuredContent/count").asInt()).isEqualTo(3);
    assertThat(server.awaitExit(InProcessServer.TIMEOUT)).isTrue();
  }

  @Test
  void constructorRefusesDuplicateToolNames() {
    DemoTool tool = testTools().getFirst();

    assertThatThrownBy(() -> new McpStdioServer("s", "1", null, List.of(tool, tool)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("server s has two tools named 'echo'");
  }
}
