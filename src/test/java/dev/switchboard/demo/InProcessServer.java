package dev.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an {@link McpStdioServer} on a thread of the test JVM over in-memory streams, and speaks
 * JSON-RPC to it. Every wait has a deadline ({@link #TIMEOUT}).
 */
final class InProcessServer implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final QueueInputStream stdin = new QueueInputStream();
  private final LineCollector stdout = new LineCollector();
  private final Thread runner;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicInteger ids = new AtomicInteger();
  /** Every line the server wrote, in order. */
  final List<String> rawLines = new ArrayList<>();

  InProcessServer(McpStdioServer server) {
    runner = Thread.ofPlatform().daemon().name("test-server-" + server.name()).start(() -> {
      try {
        server.run(stdin, stdout);
      } catch (Throwable t) {
        failure.set(t);
      }
    });
  }

  /** Sends one raw line (a newline is added). */
  void sendLine(String line) {
    stdin.feed((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  void send(JsonNode message) {
    sendLine(Json.write(message));
  }

  /** Sends a request with a fresh integer id and returns the id. */
  JsonNode sendRequest(String method, JsonNode params) {
    JsonNode id = IntNode.valueOf(ids.incrementAndGet());
    send(JsonRpc.request(id, method, params));
    return id;
  }

  /** Sends a request and returns its response, failing if other messages come first. */
  JsonNode request(String method, JsonNode params) {
    JsonNode id = sendRequest(method, params);
    List<JsonNode> messages = untilResponse(id);
    assertThat(messages).as("messages before the response to %s", method).hasSize(1);
    return messages.getFirst();
  }

  /** Calls a tool and returns the {@code result} of its response (failing on a JSON-RPC error). */
  JsonNode callTool(String name, ObjectNode arguments) {
    JsonNode response = request("tools/call", toolCall(name, arguments));
    assertThat(response.has("result")).as("a result, got %s", response).isTrue();
    return response.get("result");
  }

  /** Calls a tool and returns every message up to and including its response. */
  List<JsonNode> callToolMessages(String name, ObjectNode arguments) {
    return untilResponse(sendRequest("tools/call", toolCall(name, arguments)));
  }

  static ObjectNode toolCall(String name, ObjectNode arguments) {
    ObjectNode params = Json.object().put("name", name);
    if (arguments != null) {
      params.set("arguments", arguments);
    }
    return params;
  }

  /** The next message the server writes, within {@link #TIMEOUT}. */
  JsonNode next() {
    try {
      String line = stdout.lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        Throwable t = failure.get();
        return fail("no message from the server within " + TIMEOUT + (t == null ? "" : "; the server failed: " + t));
      }
      synchronized (rawLines) {
        rawLines.add(line);
      }
      return Json.parse(line);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  /** Messages up to and including the response with {@code id}. */
  List<JsonNode> untilResponse(JsonNode id) {
    List<JsonNode> messages = new ArrayList<>();
    while (true) {
      JsonNode message = next();
      messages.add(message);
      if (!message.has("method") && id.equals(message.get("id"))) {
        return messages;
      }
    }
  }

  /** Messages up to and including the first one with {@code method}. */
  List<JsonNode> untilMethod(String method) {
    List<JsonNode> messages = new ArrayList<>();
    while (true) {
      JsonNode message = next();
      messages.add(message);
      if (method.equals(Json.text(message, "method"))) {
        return messages;
      }
    }
  }

  /** Ends the server's input. */
  void endInput() {
    stdin.end();
  }

  /** Whether {@code run} returned within {@code timeout}; rethrows what it threw. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    boolean exited = runner.join(timeout);
    if (failure.get() != null) {
      throw new AssertionError("the server failed", failure.get());
    }
    return exited;
  }

  @Override
  public void close() throws InterruptedException {
    endInput();
    if (!runner.join(TIMEOUT)) {
      runner.interrupt();
      fail("the server did not stop within " + TIMEOUT + " after end of input");
    }
  }
}
