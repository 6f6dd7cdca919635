package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An MCP server over HTTP on 127.0.0.1 for tests, in one of three transports: Streamable HTTP at
 * {@code /mcp} (sessions it can expire on demand; {@code echo} answers as an SSE stream with a
 * priming event and progress, {@code echo_json} as plain JSON), the legacy HTTP+SSE transport
 * ({@code GET /sse} + {@code POST /messages}), or the stateless era's Streamable HTTP at {@code /mcp}
 * ({@code MODERN}: no sessions, the request headers checked against the body, {@link ModernFake}'s
 * tools, {@code subscriptions/listen} as a long-lived SSE stream). It records what it received.
 */
public final class FakeHttpBackend implements AutoCloseable {
  public enum Mode { STREAMABLE, LEGACY_SSE, MODERN }

  /** One HTTP request as received. */
  public record Received(String httpMethod, String path, String rpcMethod, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (var e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().isEmpty() ? null : e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final Mode mode;
  private final HttpServer server;
  private final Set<String> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger sessionCounter = new AtomicInteger();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, BlockingQueue<ObjectNode>> legacyStreams = new ConcurrentHashMap<>();
  private final ModernFake modernFake = new ModernFake("fake-modern-http");

  private FakeHttpBackend(Mode mode) throws IOException {
    this.mode = mode;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    if (mode == Mode.STREAMABLE) {
      server.createContext("/mcp", this::streamable);
    } else if (mode == Mode.MODERN) {
      server.createContext("/mcp", this::modern);
    } else {
      server.createContext("/sse", this::legacyStream);
      server.createContext("/messages", this::legacyPost);
    }
    server.start();
  }

  public static FakeHttpBackend start(Mode mode) throws IOException {
    return new FakeHttpBackend(mode);
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + (mode == Mode.LEGACY_SSE ? "/sse" : "/mcp"));
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public long count(String rpcMethod) {
    return received.stream().filter(r -> rpcMethod.equals(r.rpcMethod())).count();
  }

  /** Forgets every session: requests carrying an old session id get 404 from now on. */
  public void expireSessions() {
    sessions.clear();
  }

  private Received record(HttpExchange exchange, String body) {
    String method = null;
    if (!body.isEmpty()) {
      try {
        method = JsonRpc.method(Json.parse(body));
      } catch (RuntimeException e) {
        method = "(invalid)";
      }
    }
    Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), method,
        Map.copyOf(exchange.getRequestHeaders()), body);
    received.add(r);
    return r;
  }

  private void streamable(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      record(exchange, body);
      String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
      switch (exchange.getRequestMethod()) {
        case "GET" -> exchange.sendResponseHeaders(405, -1);
        case "DELETE" -> {
          sessions.remove(session);
          exchange.sendResponseHeaders(200, -1);
        }
        case "POST" -> {
          ObjectNode message = (ObjectNode) Json.parse(body);
          String method = JsonRpc.method(message);
          if ("initialize".equals(method)) {
            String id = "s" + sessionCounter.incrementAndGet();
            sessions.add(id);
            exchange.getResponseHeaders().add("Mcp-Session-Id", id);
            json(exchange, 200, JsonRpc.result(message.get("id"), initializeResult(message)));
            return;
          }
          if (session == null || !sessions.contains(session)) {
            json(exchange, 404, (ObjectNode) Json.parse("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}"));
            return;
          }
          if (!message.has("id")) {
            exchange.sendResponseHeaders(202, -1);
            return;
          }
          ObjectNode result = handle(message);
          if ("tools/call".equals(method) && "echo".equals(Json.text(JsonRpc.params(message), "name"))) {
            sse(exchange, message, result);
          } else {
            json(exchange, 200, JsonRpc.result(message.get("id"), result));
          }
        }
        default -> exchange.sendResponseHeaders(405, -1);
      }
    }
  }

  private static ObjectNode initializeResult(ObjectNode message) {
    ObjectNode result = Json.object();
    result.put("protocolVersion", Json.text(JsonRpc.params(message), "protocolVersion"));
    result.putObject("capabilities").putObject("tools");
    result.putObject("serverInfo").put("name", "fake-http").put("version", "1");
    return result;
  }

  private ObjectNode handle(ObjectNode message) {
    String method = JsonRpc.method(message);
    ObjectNode params = JsonRpc.params(message);
    return switch (method) {
      case "initialize" -> initializeResult(message);
      case "tools/list" -> (ObjectNode) Json.parse("""
          {"tools":[{"name":"echo","inputSchema":{"type":"object"}},{"name":"echo_json","inputSchema":{"type":"object"}}]}""");
      case "tools/call" -> {
        ObjectNode result = Json.object();
        result.putArray("content").addObject().put("type", "text")
            .put("text", "http:" + Json.text(params, "name") + " " + Json.write(params.path("arguments")));
        yield result;
      }
      default -> Json.object();
    };
  }

  private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = Json.writeBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Answers as an SSE stream: a priming event with an id, progress when asked for, then the result. */
  private static void sse(HttpExchange exchange, ObjectNode request, ObjectNode result) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.write("id: prime-1\ndata: \n\n".getBytes(StandardCharsets.UTF_8));
    JsonNode token = JsonRpc.params(request).path("_meta").get("progressToken");
    if (token != null) {
      ObjectNode progress = Json.object();
      progress.set("progressToken", token);
      progress.put("progress", 1);
      progress.put("total", 1);
      event(out, JsonRpc.notification("notifications/progress", progress));
    }
    event(out, JsonRpc.result(request.get("id"), result));
  }

  private static void event(OutputStream out, ObjectNode message) throws IOException {
    out.write(("event: message\ndata: " + Json.write(message) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The number of listen streams open now (MODERN). */
  public int listenStreams() {
    return modernFake.listeners();
  }

  private void modern(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Received received = record(exchange, body);
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1); // no GET stream, no sessions to DELETE in this era
        return;
      }
      ObjectNode message = (ObjectNode) Json.parse(body);
      if (!message.has("id")) {
        exchange.sendResponseHeaders(202, -1);
        return;
      }
      JsonNode id = message.get("id");
      String mismatch = headerMismatch(received, message);
      if (mismatch != null) {
        json(exchange, 400, new ModernFake.Failure(-32020, "Header mismatch: " + mismatch, null).response(id));
        return;
      }
      if ("subscriptions/listen".equals(JsonRpc.method(message))) {
        listenStream(exchange, message);
        return;
      }
      List<ObjectNode> notifications = new CopyOnWriteArrayList<>();
      ObjectNode response = modernFake.handle(message, notifications::add);
      if (notifications.isEmpty()) {
        int code = response.path("error").path("code").asInt(0);
        json(exchange, code == -32601 ? 404 : code == -32602 || code <= -32020 && code >= -32022 ? 400 : 200, response);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      for (ObjectNode notification : notifications) {
        event(exchange.getResponseBody(), notification);
      }
      event(exchange.getResponseBody(), response);
    }
  }

  /** What a stateless-era server checks: each header agrees with the body (values may be Base64 sentinels). */
  private static String headerMismatch(Received received, ObjectNode message) {
    ObjectNode params = JsonRpc.params(message);
    String version = Json.text(Json.objectAt(params, "_meta"), "io.modelcontextprotocol/protocolVersion");
    if (received.header("MCP-Protocol-Version") == null || !received.header("MCP-Protocol-Version").equals(version)) {
      return "MCP-Protocol-Version " + received.header("MCP-Protocol-Version") + " vs " + version;
    }
    if (!JsonRpc.method(message).equals(received.header("Mcp-Method"))) {
      return "Mcp-Method " + received.header("Mcp-Method");
    }
    String name = Json.text(params, "tools/call".equals(JsonRpc.method(message)) ? "name" : "uri");
    if (List.of("tools/call", "resources/read").contains(JsonRpc.method(message))
        && !java.util.Objects.equals(decode(received.header("Mcp-Name")), name)) {
      return "Mcp-Name " + received.header("Mcp-Name") + " vs " + name;
    }
    if ("region".equals(name)) {
      String region = params.path("arguments").path("region").asText(null);
      if (!java.util.Objects.equals(decode(received.header("Mcp-Param-Region")), region)) {
        return "Mcp-Param-Region " + received.header("Mcp-Param-Region") + " vs " + region;
      }
    }
    return null;
  }

  private static String decode(String header) {
    if (header != null && header.startsWith("=?base64?") && header.endsWith("?=")) {
      return new String(java.util.Base64.getDecoder().decode(header.substring(9, header.length() - 2)), StandardCharsets.UTF_8);
    }
    return header;
  }

  /** A listen stream: the acknowledgment, then what the fake sends, with keep-alives that notice a closed stream. */
  private void listenStream(HttpExchange exchange, ObjectNode request) throws IOException {
    BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
    ModernFake.Listener listener;
    try {
      listener = modernFake.listen(request, queue::add);
    } catch (ModernFake.Failure e) {
      json(exchange, 400, e.response(request.get("id")));
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    try {
      while (true) {
        ObjectNode next = queue.poll(200, TimeUnit.MILLISECONDS);
        if (next == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
        } else {
          event(out, next);
        }
      }
    } catch (InterruptedException | IOException e) {
      // the client closed the stream
    } finally {
      modernFake.unlisten(listener);
    }
  }

  private void legacyStream(HttpExchange exchange) throws IOException {
    try (exchange) {
      record(exchange, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1); // what old servers answer to the Streamable HTTP probe
        return;
      }
      String id = "l" + sessionCounter.incrementAndGet();
      BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
      legacyStreams.put(id, queue);
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(("event: endpoint\ndata: /messages?sessionId=" + id + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        while (true) {
          ObjectNode next = queue.poll(30, TimeUnit.SECONDS);
          if (next == null) {
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
          } else {
            event(out, next);
          }
        }
      } catch (InterruptedException | IOException e) {
        legacyStreams.remove(id);
      }
    }
  }

  private void legacyPost(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      record(exchange, body);
      String query = exchange.getRequestURI().getQuery();
      BlockingQueue<ObjectNode> queue = query == null ? null : legacyStreams.get(query.replace("sessionId=", ""));
      if (queue == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      ObjectNode message = (ObjectNode) Json.parse(body);
      exchange.sendResponseHeaders(202, -1);
      if (message.has("id") && message.has("method")) {
        queue.add(JsonRpc.result(message.get("id"), handle(message)));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
