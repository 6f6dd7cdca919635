package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stateless-era client (2026-07-28) whose call reaches a handshake-era backend that asks it
 * things: the hub turns the backend's requests into {@code input_required} results and resumes the
 * backend's call when the client retries with the answers.
 */
class InputRequiredBridgeTest {
  private static final String META = """
      "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
       "io.modelcontextprotocol/clientInfo":{"name":"mrtr-client","version":"1"},
       "io.modelcontextprotocol/clientCapabilities":%s}""";

  @TempDir
  Path dir;

  private HttpHub hub;
  private Path record;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private void start(String extraYaml) throws Exception {
    record = dir.resolve("alpha.jsonl");
    hub = HttpHub.start(dir, "servers:\n  alpha:\n    command: "
        + HubProcess.fakeBackend("--name", "alpha", "--record", record.toString()) + "\n" + extraYaml, Map.of());
  }

  /** tools/call ask, stateless; {@code extra} adds params (e.g. inputResponses and requestState). */
  private JsonNode call(int id, String arguments, String capabilities, String extra) throws Exception {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"ask\",\"arguments\":"
        + arguments + (extra.isEmpty() ? "" : "," + extra) + "," + META.formatted(capabilities) + "}}";
    HttpResponse<String> response = hub.post(body, Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call",
        "Mcp-Name", "ask"));
    List<ObjectNode> messages = HttpHub.messages(response);
    ObjectNode last = messages.getLast();
    assertThat(last.get("id").asInt()).as(response.body()).isEqualTo(id);
    return last;
  }

  private static String answers(JsonNode inputRequired, String reply) {
    List<String> parts = new ArrayList<>();
    inputRequired.at("/result/inputRequests").properties().forEach(e -> parts.add("\"" + e.getKey() + "\":" + reply));
    return "\"inputResponses\":{" + String.join(",", parts) + "},\"requestState\":\""
        + inputRequired.at("/result/requestState").asText() + "\"";
  }

  @Test
  void aBackendsElicitationBecomesInputRequiredAndTheRetryResumesTheCall() throws Exception {
    start("");
    JsonNode first = call(1, "{}", "{\"elicitation\":{}}", "");
    assertThat(first.at("/result/resultType").asText()).isEqualTo("input_required");
    JsonNode requests = first.at("/result/inputRequests");
    assertThat(requests.size()).isEqualTo(1);
    JsonNode question = requests.elements().next();
    assertThat(question.get("method").asText()).isEqualTo("elicitation/create");
    assertThat(question.at("/params/message").asText()).startsWith("question fake-ask-");

    JsonNode done = call(2, "{}", "{\"elicitation\":{}}", answers(first, "{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}"));
    assertThat(done.at("/result/resultType").asText()).isEqualTo("complete");
    assertThat(done.at("/result/content/0/text").asText()).startsWith("alpha:ask").contains("Ada");
  }

  @Test
  void severalRoundsAndSeveralQuestionsAtOnceAreBridged() throws Exception {
    start("");
    JsonNode round1 = call(1, "{\"rounds\":2,\"together\":2}", "{\"elicitation\":{}}", "");
    assertThat(round1.at("/result/inputRequests").size()).isEqualTo(2);
    JsonNode round2 = call(2, "{\"rounds\":2,\"together\":2}", "{\"elicitation\":{}}", answers(round1, "{\"action\":\"accept\",\"content\":{\"r\":1}}"));
    assertThat(round2.at("/result/resultType").asText()).isEqualTo("input_required");
    assertThat(round2.at("/result/inputRequests").size()).isEqualTo(2);
    JsonNode done = call(3, "{\"rounds\":2,\"together\":2}", "{\"elicitation\":{}}", answers(round2, "{\"action\":\"accept\",\"content\":{\"r\":2}}"));
    assertThat(done.at("/result/content/0/text").asText()).contains("\"r\":1").contains("\"r\":2");
  }

  @Test
  void aMissingAnswerIsAskedAgain() throws Exception {
    start("");
    JsonNode first = call(1, "{\"together\":2}", "{\"elicitation\":{}}", "");
    String oneKey = first.at("/result/inputRequests").properties().iterator().next().getKey();
    JsonNode again = call(2, "{\"together\":2}", "{\"elicitation\":{}}", "\"inputResponses\":{\"" + oneKey
        + "\":{\"action\":\"decline\"}},\"requestState\":\"" + first.at("/result/requestState").asText() + "\"");
    assertThat(again.at("/result/resultType").asText()).isEqualTo("input_required");
    assertThat(again.at("/result/inputRequests").size()).isEqualTo(1);
    assertThat(again.at("/result/inputRequests").has(oneKey)).isFalse();
    JsonNode done = call(3, "{\"together\":2}", "{\"elicitation\":{}}", answers(again, "{\"action\":\"accept\",\"content\":{}}"));
    assertThat(done.at("/result/resultType").asText()).isEqualTo("complete");
  }

  @Test
  void aTamperedOrForeignRequestStateIsRefused() throws Exception {
    start("");
    JsonNode first = call(1, "{}", "{\"elicitation\":{}}", "");
    String state = first.at("/result/requestState").asText();
    String tampered = state.substring(0, state.length() - 3) + (state.endsWith("AAA") ? "BBB" : "AAA");
    JsonNode refused = call(2, "{}", "{\"elicitation\":{}}", "\"inputResponses\":{},\"requestState\":\"" + tampered + "\"");
    assertThat(refused.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(refused.at("/error/message").asText()).contains("requestState is not valid");
    // The genuine state still works afterwards.
    JsonNode done = call(3, "{}", "{\"elicitation\":{}}", answers(first, "{\"action\":\"accept\",\"content\":{}}"));
    assertThat(done.at("/result/resultType").asText()).isEqualTo("complete");
  }

  @Test
  void aClientWithoutTheCapabilityIsNeverAskedAndTheBackendHearsWhy() throws Exception {
    start("");
    JsonNode result = call(1, "{}", "{}", "");
    assertThat(result.toString()).doesNotContain("input_required").contains("did not declare the 'elicitation' capability");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        Files.readString(record).contains("did not declare the 'elicitation' capability"));
  }
}
