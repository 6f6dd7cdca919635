package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A raw MCP client over a WebSocket ({@code java.net.http}): one JSON-RPC message per text frame,
 * responses matched by id, everything received kept (with the close code and reason) for
 * assertions. Sends are serialized, as {@link WebSocket} allows one outstanding send at a time.
 */
public final class McpWebSocketClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The close the peer sent. */
  public record Closed(int code, String reason) {}

  private final AtomicLong ids = new AtomicLong();
  private final Map<String, CompletableFuture<ObjectNode>> responses = new ConcurrentHashMap<>();
  private final List<ObjectNode> received = new CopyOnWriteArrayList<>();
  private final List<String> notJson = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket socket;

  private McpWebSocketClient() {}

  /** Connects; headers such as {@code Authorization}; subprotocols offered (e.g. {@code mcp}). */
  public static CompletableFuture<McpWebSocketClient> connectAsync(HttpClient http, URI uri, Map<String, String> headers,
      String... subprotocols) {
    return connectAsync(http, uri, headers, Duration.ofSeconds(10), subprotocols);
  }

  /** {@link #connectAsync} with its own limit for opening the connection (for bursts of many). */
  public static CompletableFuture<McpWebSocketClient> connectAsync(HttpClient http, URI uri, Map<String, String> headers,
      Duration connectTimeout, String... subprotocols) {
    McpWebSocketClient client = new McpWebSocketClient();
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
    headers.forEach(builder::header);
    if (subprotocols.length > 0) {
      builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    return builder.buildAsync(uri, client.listener()).thenApply(ws -> {
      client.socket = ws;
      return client;
    });
  }

  public static McpWebSocketClient connect(HttpClient http, URI uri, Map<String, String> headers, String... subprotocols) {
    try {
      return connectAsync(http, uri, headers, subprotocols).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not open a WebSocket to " + uri, e);
    }
  }

  private WebSocket.Listener listener() {
    return new WebSocket.Listener() {
      @Override
      public void onOpen(WebSocket ws) {
        ws.request(1);
      }

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          String text = partial.toString();
          partial.setLength(0);
          try {
            accept((ObjectNode) Json.parse(text));
          } catch (RuntimeException e) {
            notJson.add(text);
          }
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null; // close in reply at once
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
      }
    };
  }

  private void accept(ObjectNode message) {
    received.add(message);
    if (!message.has("method") && message.has("id")) {
      responses.computeIfAbsent(String.valueOf(message.get("id")), k -> new CompletableFuture<>()).complete(message);
    }
  }

  public WebSocket socket() {
    return socket;
  }

  /** Sends one text frame (which need not be JSON) and waits until it is written. */
  public synchronized void sendText(String text) {
    socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** Sends one binary frame and waits until it is written. */
  public synchronized void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  public void send(ObjectNode message) {
    sendText(Json.write(message));
  }

  /** Sends a request; its response comes later through {@link #response}. */
  public long requestAsync(String method, ObjectNode params) {
    long id = ids.incrementAndGet();
    send(JsonRpc.request(Json.MAPPER.getNodeFactory().numberNode(id), method, params));
    return id;
  }

  /** The response to a request sent earlier, as a future (completes when it arrives). */
  public CompletableFuture<ObjectNode> responseFuture(long id) {
    return responses.computeIfAbsent(String.valueOf(Json.MAPPER.getNodeFactory().numberNode(id)),
        k -> new CompletableFuture<>());
  }

  public ObjectNode response(long id) {
    try {
      return responseFuture(id).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no response to id " + id + " within " + TIMEOUT + "; received: " + received, e);
    }
  }

  /** Sends a request and returns its response (result or error). */
  public ObjectNode request(String method, ObjectNode params) {
    return response(requestAsync(method, params));
  }

  /** The result of a request, failing the test with the error when there is one. */
  public ObjectNode result(String method, ObjectNode params) {
    ObjectNode response = request(method, params);
    if (response.has("error")) {
      throw new AssertionError(method + " failed: " + response.get("error"));
    }
    return (ObjectNode) response.get("result");
  }

  public static ObjectNode initializeParams(String clientName) {
    ObjectNode params = Json.object();
    params.put("protocolVersion", "2025-11-25");
    params.putObject("capabilities");
    params.putObject("clientInfo").put("name", clientName).put("version", "1");
    return params;
  }

  public ObjectNode initialize() {
    ObjectNode result = result("initialize", initializeParams("ws-test-client"));
    send(JsonRpc.notification("notifications/initialized", null));
    return result;
  }

  /** Everything received so far, in order of arrival. */
  public List<ObjectNode> received() {
    return List.copyOf(received);
  }

  /** Text frames received that were not a JSON object. */
  public List<String> notJson() {
    return List.copyOf(notJson);
  }

  /** Waits for a received message matching the predicate; fails the test at the deadline. */
  public ObjectNode awaitMessage(Predicate<ObjectNode> matcher, Duration timeout) {
    try {
      return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10))
          .until(() -> received.stream().filter(matcher).findFirst().orElse(null), java.util.Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no matching message within " + timeout + "; received " + received, e);
    }
  }

  /** The close the peer sent; fails the test if none arrives in time. */
  public Closed awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the peer did not close within " + timeout + "; received: " + received, e);
    }
  }

  /** Completes with the peer's close (or fails on a transport error). */
  public CompletableFuture<Closed> closed() {
    return closed;
  }

  /** Id text of a message, for matching ({@code null} for a null id). */
  public static String idOf(JsonNode message) {
    return String.valueOf(message.get("id"));
  }

  /** Sends a normal close and waits (bounded) for the peer's; aborts the connection if it does not come. */
  @Override
  public void close() {
    WebSocket ws = socket;
    if (ws == null) {
      return;
    }
    try {
      if (!ws.isOutputClosed()) {
        synchronized (this) {
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
      }
      closed.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the peer is gone or did not answer: nothing more to wait for
    } finally {
      ws.abort();
    }
  }
}
