package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.SseReader;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import dev.switchboard.testing.NpmTools;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompts, resources, completion, subscriptions and server→client requests through the hub, with
 * {@code @modelcontextprotocol/server-everything} behind it and prompt templates from the config.
 */
class RelayThroughHubTest {
  @TempDir
  Path dir;

  private HubProcess stdioHub;
  private HttpHub httpHub;
  private Process server;

  @AfterEach
  void stop() {
    if (stdioHub != null) {
      stdioHub.close();
    }
    if (httpHub != null) {
      httpHub.close();
    }
    NpmTools.stop(server);
  }

  private static ObjectNode params(String json) {
    return (ObjectNode) Json.parse(json);
  }

  private McpLineClient stdio(String capabilities) throws Exception {
    Path main = NpmTools.require("server-everything");
    stdioHub = HubProcess.start(dir, """
        servers:
          everything:
            command: [node, "%s", stdio]
            prefix: ev_
        prompts:
          code_review:
            description: Review code for best practices
            arguments: [ { name: code, description: The code to review, required: true } ]
            messages: [ { role: user, text: "Please review this code:\\n\\n{{code}}" } ]
        """.formatted(main));
    McpLineClient client = stdioHub.client();
    client.result("initialize", params("{\"protocolVersion\":\"2025-11-25\",\"capabilities\":" + capabilities
        + ",\"clientInfo\":{\"name\":\"relay-test\",\"version\":\"1\"}}"));
    client.send(params("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
    return client;
  }

  private static List<String> names(JsonNode items) {
    List<String> names = new ArrayList<>();
    items.forEach(item -> names.add(item.get("name").asText()));
    return names;
  }

  @Test
  void configTemplatesAndBackendPromptsAreMergedAndRendered() throws Exception {
    McpLineClient client = stdio("{}");
    JsonNode prompts = client.result("prompts/list", Json.object()).get("prompts");
    assertThat(names(prompts)).startsWith("code_review").contains("ev_simple-prompt", "ev_args-prompt", "ev_completable-prompt");
    assertThat(prompts.get(0).at("/arguments/0/required").asBoolean()).isTrue();

    ObjectNode rendered = client.result("prompts/get", params("{\"name\":\"code_review\",\"arguments\":{\"code\":\"x = {{code}}\"}}"));
    assertThat(rendered.at("/messages/0/content/text").asText()).isEqualTo("Please review this code:\n\nx = {{code}}");

    ObjectNode missing = client.request("prompts/get", params("{\"name\":\"code_review\",\"arguments\":{}}"));
    assertThat(missing.at("/error/code").asInt()).isEqualTo(-32602);
    assertThat(missing.at("/error/message").asText()).contains("missing required argument 'code'");

    ObjectNode unknown = client.request("prompts/get", params("{\"name\":\"nope\"}"));
    assertThat(unknown.at("/error/message").asText()).isEqualTo("Unknown prompt: nope");

    ObjectNode simple = client.result("prompts/get", params("{\"name\":\"ev_simple-prompt\"}"));
    assertThat(simple.get("messages")).isNotEmpty();
  }

  @Test
  void completionGoesToTheOwnerOfThePrompt() throws Exception {
    McpLineClient client = stdio("{}");
    ObjectNode completion = client.result("completion/complete", params("""
        {"ref":{"type":"ref/prompt","name":"ev_completable-prompt"},"argument":{"name":"department","value":"Eng"}}"""));
    assertThat(completion.at("/completion/values").toString()).contains("Engineering");
  }

  @Test
  void resourcesAreListedAndReadIncludingUrisThatOnlyATemplateMatches() throws Exception {
    McpLineClient client = stdio("{}");
    JsonNode resources = client.result("resources/list", Json.object()).get("resources");
    assertThat(resources).isNotEmpty();
    String uri = resources.get(0).get("uri").asText();
    ObjectNode read = client.result("resources/read", params("{\"uri\":\"" + uri + "\"}"));
    assertThat(read.at("/contents/0/uri").asText()).isEqualTo(uri);

    JsonNode templates = client.result("resources/templates/list", Json.object()).get("resourceTemplates");
    assertThat(templates.findValuesAsText("uriTemplate")).contains("demo://resource/dynamic/text/{resourceId}");
    ObjectNode dynamic = client.result("resources/read", params("{\"uri\":\"demo://resource/dynamic/text/7\"}"));
    assertThat(dynamic.at("/contents/0/uri").asText()).isEqualTo("demo://resource/dynamic/text/7");

    ObjectNode nowhere = client.request("resources/read", params("{\"uri\":\"nothing://here\"}"));
    assertThat(nowhere.at("/error/message").asText()).isEqualTo("Resource not found: nothing://here");
  }

  @Test
  void anElicitationFromTheBackendIsAskedOfTheCallingClientAndItsAnswerReturns() throws Exception {
    McpLineClient client = stdio("{\"elicitation\":{\"form\":{}}}");
    long call = client.requestAsync("tools/call", params("{\"name\":\"ev_trigger-elicitation-request\",\"arguments\":{}}"));
    ObjectNode asked = client.awaitNotification(m -> "elicitation/create".equals(m.path("method").asText()), Duration.ofSeconds(20));
    assertThat(asked.get("id").asText()).startsWith("sb-");
    client.send(params("{\"jsonrpc\":\"2.0\",\"id\":\"" + asked.get("id").asText() + "\",\"result\":{\"action\":\"decline\"}}"));
    ObjectNode result = client.response(call);
    assertThat(result.has("result")).as(result.toString()).isTrue();
    assertThat(result.toString()).containsIgnoringCase("decline");
  }

  @Test
  void aClientWithoutTheCapabilityIsNeverAskedAndTheBackendGetsAClearError() throws Exception {
    McpLineClient client = stdio("{}");
    ObjectNode result = client.request("tools/call", params("{\"name\":\"ev_trigger-elicitation-request\",\"arguments\":{}}"));
    assertThat(result.toString()).contains("did not declare the 'elicitation' capability");
    assertThat(client.notifications()).noneMatch(r -> "elicitation/create".equals(r.message().path("method").asText()));
  }

  /** Reads one SSE answer: answers sampling requests with {@code label}, returns the final result. */
  private CompletableFuture<JsonNode> samplingCall(String session, String prompt, String label) throws IOException {
    HttpResponse<java.io.InputStream> response = httpHub.postStreaming("""
        {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ev_trigger-sampling-request","arguments":{"prompt":"%s","maxTokens":5}}}"""
        .formatted(prompt), Map.of("Mcp-Session-Id", session));
    return CompletableFuture.supplyAsync(() -> {
      try (java.io.InputStream body = response.body()) {
        SseReader reader = new SseReader(body, 1 << 20);
        SseReader.Event event;
        while ((event = reader.next()) != null) {
          if (event.data().isBlank()) {
            continue;
          }
          JsonNode message = Json.parse(event.data());
          if ("sampling/createMessage".equals(message.path("method").asText())) {
            assertThat(message.toString()).as("the sampling request of this client's own call").contains(prompt);
            httpHub.post("""
                {"jsonrpc":"2.0","id":"%s","result":{"role":"assistant","content":{"type":"text","text":"%s"},
                 "model":"test-model","stopReason":"endTurn"}}""".formatted(message.get("id").asText(), label),
                Map.of("Mcp-Session-Id", session));
          } else if (message.has("id") && message.get("id").asInt() == 7) {
            return message;
          }
        }
        throw new AssertionError("the stream ended without an answer");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void concurrentSamplingRequestsEachGoToTheirOwnCallerOnly() throws Exception {
    Path main = NpmTools.require("server-everything");
    int port = NpmTools.freePort();
    server = NpmTools.startHttp(main, "streamableHttp", port);
    httpHub = HttpHub.start(dir, "servers:\n  everything:\n    url: http://127.0.0.1:" + port + "/mcp\n    prefix: ev_\n", Map.of());
    String a = httpHub.initialize("{\"sampling\":{}}");
    String b = httpHub.initialize("{\"sampling\":{}}");
    CompletableFuture<JsonNode> first = samplingCall(a, "prompt-of-A", "answer-from-A");
    CompletableFuture<JsonNode> second = samplingCall(b, "prompt-of-B", "answer-from-B");
    JsonNode resultA = first.get(60, TimeUnit.SECONDS);
    JsonNode resultB = second.get(60, TimeUnit.SECONDS);
    assertThat(resultA.toString()).contains("answer-from-A").doesNotContain("answer-from-B");
    assertThat(resultB.toString()).contains("answer-from-B").doesNotContain("answer-from-A");
  }

  @Test
  void resourceUpdatesReachOnlyTheSubscribedSession() throws Exception {
    Path main = NpmTools.require("server-everything");
    int port = NpmTools.freePort();
    server = NpmTools.startHttp(main, "streamableHttp", port);
    httpHub = HttpHub.start(dir, "servers:\n  everything:\n    url: http://127.0.0.1:" + port + "/mcp\n    prefix: ev_\n", Map.of());
    String a = httpHub.initialize();
    String b = httpHub.initialize();
    String uri = Json.parse(httpHub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/list\"}",
        Map.of("Mcp-Session-Id", a)).body()).at("/result/resources/0/uri").asText();
    assertThat(httpHub.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/subscribe\",\"params\":{\"uri\":\"" + uri + "\"}}",
        Map.of("Mcp-Session-Id", a)).statusCode()).isEqualTo(200);
    CompletableFuture<String> onA = nthEvent(a, "notifications/resources/updated", 2);
    CompletableFuture<String> onB = nthEvent(b, "notifications/resources/updated", 1);
    httpHub.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"ev_toggle-subscriber-updates\",\"arguments\":{}}}",
        Map.of("Mcp-Session-Id", a));
    // The backend repeats the update every 5 s: by A's second one, a broadcast would have reached B.
    assertThat(onA.get(30, TimeUnit.SECONDS)).contains(uri);
    assertThat(onB).isNotDone();
  }

  /** Opens a session's GET stream and completes with the {@code n}th event naming {@code method}. */
  private CompletableFuture<String> nthEvent(String session, String method, int n) {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    return CompletableFuture.supplyAsync(() -> {
      try {
        HttpResponse<java.io.InputStream> response = client.send(java.net.http.HttpRequest.newBuilder(httpHub.base().resolve("/mcp"))
            .header("Mcp-Session-Id", session).header("Accept", "text/event-stream").GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        SseReader reader = new SseReader(response.body(), 1 << 20);
        SseReader.Event event;
        int seen = 0;
        while ((event = reader.next()) != null) {
          if (event.data().contains(method) && ++seen == n) {
            return event.data();
          }
        }
        return null;
      } catch (IOException | InterruptedException e) {
        return null;
      }
    });
  }
}
