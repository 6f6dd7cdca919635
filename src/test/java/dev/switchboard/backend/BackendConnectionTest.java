package dev.switchboard.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JSON-RPC layer over a scripted transport (the narrow seam, as agentgateway's stdio tests do). */
class BackendConnectionTest {
  /** A transport whose sent messages a test takes, and into which it pushes what the backend "says". */
  static final class ScriptedTransport implements Transport {
    final BlockingQueue<ObjectNode> sent = new LinkedBlockingQueue<>();
    Listener listener;

    @Override
    public void start(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void send(ObjectNode message) {
      sent.add(message);
    }

    ObjectNode take() throws InterruptedException {
      ObjectNode message = sent.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("a message sent to the backend").isNotNull();
      return message;
    }

    @Override
    public void close() {}
  }

  private final ScriptedTransport transport = new ScriptedTransport();
  private final List<ObjectNode> unrouted = new CopyOnWriteArrayList<>();
  private final BackendConnection connection = new BackendConnection("db", transport, new BackendConnection.Handler() {
    @Override
    public void onNotification(ObjectNode message, CallContext related) {
      unrouted.add(message);
    }

    @Override
    public JsonNode onRequest(ObjectNode request, CallContext related) {
      return Json.object().put("answered", JsonRpc.method(request));
    }
  });

  BackendConnectionTest() throws Exception {
    connection.start();
  }

  private CompletableFuture<JsonNode> callAsync(String method, CallContext context, Duration timeout, Duration max) {
    return CompletableFuture.supplyAsync(() -> connection.call(method, Json.object(), context, timeout, max),
        r -> Thread.ofVirtual().start(r));
  }

  @Test
  void everyPendingRequestFailsAtOnceWhenTheTransportDies() throws Exception {
    CompletableFuture<JsonNode> first = callAsync("tools/call", CallContext.internal(), Duration.ofMinutes(1), Duration.ofMinutes(1));
    CompletableFuture<JsonNode> second = callAsync("prompts/get", CallContext.internal(), Duration.ofMinutes(1), Duration.ofMinutes(1));
    transport.take();
    transport.take();
    transport.listener.onClosed("exited (code 1); stderr: boom");
    assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(McpError.class)
        .cause().hasMessage("Backend 'db' exited (code 1); stderr: boom during tools/call");
    assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).cause().hasMessage(
        "Backend 'db' exited (code 1); stderr: boom during prompts/get");
    assertThatThrownBy(() -> connection.call("ping", Json.object(), CallContext.internal(), Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(McpError.class).hasMessage("Backend 'db' exited (code 1); stderr: boom");
  }

  @Test
  void aResponseIsMatchedByIdAndItsErrorIsPassedOnUnchanged() throws Exception {
    CompletableFuture<JsonNode> ok = callAsync("tools/call", CallContext.internal(), Duration.ofMinutes(1), Duration.ofMinutes(1));
    CompletableFuture<JsonNode> bad = callAsync("prompts/get", CallContext.internal(), Duration.ofMinutes(1), Duration.ofMinutes(1));
    ObjectNode a = transport.take();
    ObjectNode b = transport.take();
    ObjectNode okRequest = a.get("method").asText().equals("tools/call") ? a : b;
    ObjectNode badRequest = okRequest == a ? b : a;
    transport.listener.onMessage(JsonRpc.error(badRequest.get("id"), new McpError(-32602, "Unknown prompt: x", Json.object().put("k", 1))), null);
    transport.listener.onMessage(JsonRpc.result(okRequest.get("id"), Json.object().put("v", 7)), null);
    assertThat(ok.get(5, TimeUnit.SECONDS).get("v").asInt()).isEqualTo(7);
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(McpError.class)
        .hasMessage("Unknown prompt: x")
        .satisfies(e -> assertThat(((McpError) e).code()).isEqualTo(-32602))
        .satisfies(e -> assertThat(((McpError) e).data().get("k").asInt()).isEqualTo(1));
  }

  @Test
  void progressIsRemappedToTheClientsTokenAndExtendsTheDeadline() throws Exception {
    List<ObjectNode> toClient = new CopyOnWriteArrayList<>();
    CallContext context = new CallContext(Json.MAPPER.getNodeFactory().textNode("client-token"), toClient::add);
    CompletableFuture<JsonNode> call = callAsync("tools/call", context, Duration.ofSeconds(1), Duration.ofMinutes(1));
    ObjectNode request = transport.take();
    String backendToken = request.at("/params/_meta/progressToken").asText();
    assertThat(backendToken).isNotEqualTo("client-token");
    // Progress keeps arriving for longer than the 1 s timeout (6 x 250 ms); each one resets it.
    for (int i = 1; i <= 6; i++) {
      ObjectNode progress = Json.object().put("progressToken", backendToken).put("progress", i);
      transport.listener.onMessage(JsonRpc.notification("notifications/progress", progress), null);
      assertThat(call).as("still waiting after progress %d", i).isNotDone();
      CompletableFuture<Void> gap = new CompletableFuture<>();
      assertThatThrownBy(() -> gap.get(250, TimeUnit.MILLISECONDS)).isInstanceOf(java.util.concurrent.TimeoutException.class);
    }
    transport.listener.onMessage(JsonRpc.result(request.get("id"), Json.object()), null);
    assertThat(call.get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(toClient).hasSize(6).allSatisfy(n -> assertThat(n.at("/params/progressToken").asText()).isEqualTo("client-token"));
  }

  @Test
  void aCallPastItsDeadlineFailsAndCancelsOnTheBackend() throws Exception {
    CompletableFuture<JsonNode> call = callAsync("tools/call", CallContext.internal(), Duration.ofMillis(200), Duration.ofMillis(200));
    ObjectNode request = transport.take();
    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
        .hasMessage("Backend 'db' did not answer tools/call within 200ms");
    ObjectNode cancel = transport.take();
    assertThat(cancel.get("method").asText()).isEqualTo("notifications/cancelled");
    assertThat(cancel.at("/params/requestId")).isEqualTo(request.get("id"));
  }

  @Test
  void aClientCancellationIsForwardedWithTheBackendsRequestId() throws Exception {
    CallContext context = new CallContext(null, n -> {});
    CompletableFuture<JsonNode> call = callAsync("tools/call", context, Duration.ofMinutes(1), Duration.ofMinutes(1));
    ObjectNode request = transport.take();
    context.cancel("user pressed stop");
    ObjectNode cancel = transport.take();
    assertThat(cancel.at("/params/requestId")).isEqualTo(request.get("id"));
    assertThat(cancel.at("/params/reason").asText()).isEqualTo("user pressed stop");
    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(McpError.class);
  }

  @Test
  void requestsFromTheBackendAreAnsweredAndOtherNotificationsHandedOn() throws Exception {
    transport.listener.onMessage((ObjectNode) Json.parse("{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"roots/list\"}"), null);
    ObjectNode answer = transport.take();
    assertThat(answer.get("id").asText()).isEqualTo("s1");
    assertThat(answer.at("/result/answered").asText()).isEqualTo("roots/list");
    transport.listener.onMessage(JsonRpc.notification("notifications/resources/updated", Json.object().put("uri", "u")), null);
    assertThat(unrouted).hasSize(1);
  }
}
