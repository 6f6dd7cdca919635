package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.SseReader;
import dev.switchboard.protocol.McpHeaders;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streamable HTTP in the stateless era (2026-07-28): every request is its own POST with no session,
 * carrying the headers that mirror its body ({@code MCP-Protocol-Version}, {@code Mcp-Method},
 * {@code Mcp-Name}, and {@code Mcp-Param-*} for the arguments a tool's schema marks with
 * {@code x-mcp-header}). The answer is JSON or an SSE stream (not resumable in this era); closing that
 * stream is how a request is cancelled, so a {@code notifications/cancelled} from the connection
 * closes the stream instead of being sent. There is no GET stream: list changes arrive on a
 * {@code subscriptions/listen} stream like any other answer.
 *
 * <p>As the spec asks of HTTP clients, a tool whose {@code x-mcp-header} annotations break the rules is
 * left out of {@code tools/list} (with a warning), so no call can be sent without its headers.
 */
final class ModernHttpTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(ModernHttpTransport.class);

  private final String name;
  private final URI url;
  private final Duration requestLimit;
  private final BackendHttp http;
  /** Requests whose answer is still coming, by id (JSON text): cancelling one aborts its exchange. */
  private final Map<String, Runnable> open = new ConcurrentHashMap<>();
  /** The argument headers of each tool, from the last tools/list seen. */
  private final Map<String, List<McpHeaders.ParamHeader>> toolHeaders = new ConcurrentHashMap<>();
  private Listener listener;
  private volatile boolean closed;

  ModernHttpTransport(String name, URI url, Map<String, String> headers, Duration requestLimit) {
    this.http = new BackendHttp(name, url, headers);
    this.name = name;
    this.url = url;
    this.requestLimit = requestLimit;
  }

  @Override
  public void start(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void send(ObjectNode message) throws IOException {
    if (closed) {
      throw new IOException("the HTTP transport is closed");
    }
    if (HttpMessages.isRequest(message)) {
      Thread.ofVirtual().name("backend-" + name + "-post").start(() -> post(message));
      return;
    }
    if (Methods.CANCELLED.equals(JsonRpc.method(message))) {
      // In this era closing the answer stream is the cancellation; no notification is sent.
      JsonNode requestId = JsonRpc.params(message).get("requestId");
      Runnable abort = requestId == null ? null : open.remove(JsonRpc.idKey(requestId));
      if (abort != null) {
        abort.run();
      }
      return;
    }
    log.debug("backend={} {} not sent: the stateless era has no client notifications over HTTP", name,
        JsonRpc.method(message) == null ? "a response" : JsonRpc.method(message));
  }

  /** The headers that mirror a request's body. */
  private Map<String, String> headersFor(ObjectNode message) {
    String method = JsonRpc.method(message);
    ObjectNode params = JsonRpc.params(message);
    String version = Json.text(Json.objectAt(params, "_meta"), MetaKeys.PROTOCOL_VERSION);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json, text/event-stream");
    headers.put(McpHeaders.PROTOCOL_VERSION, version == null ? ProtocolVersion.LATEST_STATELESS : version);
    headers.put(McpHeaders.METHOD, method);
    String itemName = McpHeaders.nameOf(method, params);
    if (itemName != null) {
      headers.put(McpHeaders.NAME, McpHeaders.encode(itemName));
    }
    if (Methods.TOOLS_CALL.equals(method) && itemName != null) {
      JsonNode arguments = params.get("arguments");
      for (McpHeaders.ParamHeader param : toolHeaders.getOrDefault(itemName, List.of())) {
        String text = McpHeaders.text(param.valueIn(arguments));
        if (text != null) {
          headers.put(param.header(), McpHeaders.encode(text));
        }
      }
    }
    return headers;
  }

  private void post(ObjectNode message) {
    JsonNode id = message.get("id");
    String key = JsonRpc.idKey(id);
    String method = JsonRpc.method(message);
    // Cancelling interrupts this thread: blocked in the exchange, that closes its connection.
    Thread self = Thread.currentThread();
    open.put(key, self::interrupt);
    try (BackendHttp.Response response = http.post(url, headersFor(message), Json.writeBytes(message),
        Methods.SUBSCRIPTIONS_LISTEN.equals(method) ? BackendHttp.FOREVER : requestLimit);
        InputStream body = response.body()) {
      int status = response.status();
      if (status / 100 != 2) {
        byte[] bytes = body.readNBytes(4096);
        JsonNode parsed = HttpMessages.parseOrNull(bytes);
        if (parsed instanceof ObjectNode error && error.get("error") instanceof ObjectNode) {
          error.set("id", id); // a refusal may carry a null id; it answers this request all the same
          listener.onMessage(error, null);
        } else {
          listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' answered HTTP " + status + " to " + method
              + ": " + HttpMessages.bodySnippet(bytes)), null);
        }
        return;
      }
      if (response.contentType().startsWith("text/event-stream")) {
        readStream(body, id, method);
      } else {
        byte[] bytes = body.readAllBytes();
        if (HttpMessages.parseOrNull(bytes) instanceof ObjectNode answer) {
          deliver(answer, id, method);
        } else {
          listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' answered " + method
              + " with something that is not a JSON-RPC message: " + HttpMessages.bodySnippet(bytes)), null);
        }
      }
    } catch (IOException e) {
      if (closed || !open.containsKey(key)) {
        return; // cancelled, or the transport is closing: nobody waits for an answer
      }
      if (e instanceof BackendHttp.Unreachable) {
        listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' " + e.getMessage()), null);
        listener.onClosed(e.getMessage());
      } else {
        listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' HTTP exchange for " + method + " failed: "
            + e.getMessage()), null);
      }
    } finally {
      open.remove(key);
      Thread.interrupted(); // a cancellation that came as the answer ended is spent
    }
  }

  /** Reads a request's SSE stream until its answer; a stream cut short loses the request (no resumption in this era). */
  private void readStream(InputStream body, JsonNode id, String method) throws IOException {
    SseReader reader = new SseReader(body, HttpMessages.MAX_LINE);
    SseReader.Event event;
    while ((event = reader.next()) != null) {
      if (event.data().isBlank()) {
        continue;
      }
      JsonNode parsed = HttpMessages.parseOrNull(event.data().getBytes(StandardCharsets.UTF_8));
      if (!(parsed instanceof ObjectNode message)) {
        log.warn("backend={} sent an SSE event that is not a JSON-RPC message (ignored): {}", name, Snippet.of(event.data()));
        continue;
      }
      deliver(message, id, method);
      if (sameId(id, message.get("id")) && !message.has("method")) {
        return;
      }
    }
    if (!closed && open.containsKey(JsonRpc.idKey(id))) {
      listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' ended the stream for " + method
          + " before answering"), null);
    }
  }

  private void deliver(ObjectNode message, JsonNode id, String method) {
    if (Methods.TOOLS_LIST.equals(method) && sameId(id, message.get("id")) && message.get("result") instanceof ObjectNode result) {
      keepValidTools(result);
    }
    listener.onMessage(message, id);
  }

  /** Whether a message answers our request id (1 and 1L are one id; the parser picks the node type). */
  private static boolean sameId(JsonNode ours, JsonNode theirs) {
    if (theirs == null) {
      return false;
    }
    if (ours.isIntegralNumber() && theirs.isIntegralNumber()) {
      return ours.longValue() == theirs.longValue();
    }
    return ours.equals(theirs);
  }

  /** Learns each tool's argument headers; drops (with a warning) tools whose annotations break the rules. */
  private void keepValidTools(ObjectNode result) {
    if (!(result.get("tools") instanceof ArrayNode tools)) {
      return;
    }
    ArrayNode kept = Json.array();
    for (JsonNode tool : tools) {
      String toolName = Json.text(tool, "name");
      try {
        List<McpHeaders.ParamHeader> params = McpHeaders.paramHeaders(tool.get("inputSchema"));
        if (toolName != null) {
          toolHeaders.put(toolName, params);
        }
        kept.add(tool);
      } catch (IllegalArgumentException e) {
        log.warn("backend={} tool '{}' left out: {}", name, toolName, e.getMessage());
      }
    }
    result.set("tools", kept);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    open.clear();
    http.close();
  }
}
