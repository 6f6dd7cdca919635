package dev.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of an {@link McpStdioServer}: the read loop, the log level the client set,
 * and the calls in progress. Requests other than {@code tools/call} are answered on the read
 * thread, in order, so that a {@code logging/setLevel} takes effect before the next message is
 * read; each {@code tools/call} gets its own virtual thread.
 */
final class StdioConnection {
  private static final Logger log = LoggerFactory.getLogger(StdioConnection.class);

  /** The largest message accepted; a file read as base64 fits well inside. */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  /** At end of input, how long calls in progress may finish before they are cancelled. */
  static final Duration FINISH_GRACE = Duration.ofSeconds(2);
  /** After cancelling, how long to wait for the cancelled calls to stop. */
  static final Duration CANCEL_GRACE = Duration.ofSeconds(2);

  private final McpStdioServer server;
  private final InputStream in;
  private final MessageWriter writer;
  private final McpStdioServer.CallListener listener;
  /** Calls by id, until their answer is about to be written (a client may reuse an id once answered). */
  private final Map<String, InFlightCall> inFlight = new ConcurrentHashMap<>();
  /** Calls not yet done, answer written included: what the end-of-input drain waits for. */
  private final java.util.Set<InFlightCall> active = ConcurrentHashMap.newKeySet();
  // Until the client sets a level, everything is sent (the spec leaves the default to the server).
  private volatile LogLevel minimumLevel = LogLevel.DEBUG;

  StdioConnection(McpStdioServer server, InputStream in, OutputStream out, McpStdioServer.CallListener listener) {
    this.server = server;
    this.in = in;
    this.writer = new MessageWriter(out);
    this.listener = listener;
  }

  void serve() throws IOException {
    log.info("server={} serving MCP over stdio", server.name());
    LineReader reader = new LineReader(in, MAX_MESSAGE_BYTES);
    try {
      LineReader.Line line;
      while ((line = reader.next()) != null) {
        handleLine(line);
      }
    } finally {
      finishCallsInProgress();
    }
    log.info("server={} input ended; stopping", server.name());
  }

  private void handleLine(LineReader.Line line) {
    if (line.oversized()) {
      writer.write(JsonRpc.error(null, McpError.invalidRequest("message larger than " + MAX_MESSAGE_BYTES + " bytes")));
      return;
    }
    if (isBlank(line)) {
      return;
    }
    JsonNode message;
    try {
      message = Json.parse(line.bytes(), 0, line.length());
    } catch (McpError e) {
      log.debug("server={} unparseable line: {}", server.name(), e.getMessage());
      writer.write(JsonRpc.error(null, e));
      return;
    }
    JsonRpc.Kind kind;
    try {
      kind = JsonRpc.classify(message);
    } catch (McpError e) {
      writer.write(JsonRpc.error(JsonRpc.idOf(message), e));
      return;
    }
    switch (kind) {
      case REQUEST -> handleRequest(message);
      case NOTIFICATION -> handleNotification(message);
      case RESPONSE -> log.debug("server={} ignoring a response to a request it never sent: id={}", server.name(), message.get("id"));
    }
  }

  private void handleRequest(JsonNode message) {
    JsonNode id = message.get("id");
    String method = JsonRpc.method(message);
    ObjectNode params = JsonRpc.params(message);
    if (Methods.TOOLS_CALL.equals(method)) {
      startCall(id, params);
      return;
    }
    try {
      ObjectNode result = switch (method) {
        case Methods.INITIALIZE -> server.initializeResult(params);
        case Methods.PING -> Json.object();
        case Methods.TOOLS_LIST -> server.toolsList(params);
        case Methods.SET_LEVEL -> setLevel(params);
        default -> throw McpError.methodNotFound(method);
      };
      writer.write(JsonRpc.result(id, result));
    } catch (McpError e) {
      writer.write(JsonRpc.error(id, e));
    } catch (RuntimeException e) {
      log.error("server={} {} failed", server.name(), method, e);
      writer.write(JsonRpc.error(id, McpError.internal(method + " failed: " + e)));
    }
  }

  private ObjectNode setLevel(ObjectNode params) {
    try {
      minimumLevel = LogLevel.parse(Json.text(params, "level"));
    } catch (IllegalArgumentException e) {
      throw McpError.invalidParams(e.getMessage());
    }
    return Json.object();
  }

  private void handleNotification(JsonNode message) {
    String method = JsonRpc.method(message);
    if (Methods.CANCELLED.equals(method)) {
      JsonNode requestId = JsonRpc.params(message).get("requestId");
      InFlightCall call = requestId == null ? null : inFlight.get(JsonRpc.idKey(requestId));
      if (call != null) {
        log.debug("server={} tool={} id={} cancelled by the client", server.name(), call.tool(), requestId);
        call.cancel(true);
      }
      // A cancellation may arrive after the call finished; the spec says to ignore it then.
    }
    // notifications/initialized and any other notification need no answer.
  }

  private void startCall(JsonNode id, ObjectNode params) {
    String tool = Json.text(params, "name");
    ObjectNode meta = Json.objectAt(params, "_meta");
    JsonNode token = meta == null ? null : meta.get("progressToken");
    if (token != null && !(token.isTextual() || token.isIntegralNumber())) {
      writer.write(JsonRpc.error(id, McpError.invalidParams("\"_meta.progressToken\" must be a string or an integer")));
      return;
    }
    InFlightCall call = new InFlightCall(id, tool, token, writer, () -> minimumLevel);
    if (inFlight.putIfAbsent(JsonRpc.idKey(id), call) != null) {
      writer.write(JsonRpc.error(id, McpError.invalidRequest("id " + id + " is already used by a request in progress")));
      return;
    }
    active.add(call);
    Thread.ofVirtual().name("demo-" + server.name() + "-call-" + id).start(() -> runCall(call, params));
  }

  private void runCall(InFlightCall call, ObjectNode params) {
    ObjectNode response;
    try {
      response = JsonRpc.result(call.id(), server.callTool(params, call));
    } catch (McpError e) {
      response = JsonRpc.error(call.id(), e);
    } catch (RuntimeException e) {
      log.error("server={} tool={} failed", server.name(), call.tool(), e);
      response = JsonRpc.error(call.id(), McpError.internal("tool " + call.tool() + " failed: " + e));
    }
    inFlight.remove(JsonRpc.idKey(call.id()), call);
    try {
      if (!call.cancelledByClient()) {
        writer.write(response);
      }
    } finally {
      // Done only after the write, so that the end-of-input drain cannot return before it.
      active.remove(call);
      call.markDone();
      listener.callFinished(call.id(), call.tool(), call.isCancelled());
    }
  }

  private void finishCallsInProgress() {
    if (active.isEmpty()) {
      return;
    }
    try {
      if (!awaitAll(FINISH_GRACE)) {
        List<InFlightCall> late = List.copyOf(active);
        log.warn("server={} input ended; cancelling {} call(s) still running", server.name(), late.size());
        late.forEach(call -> call.cancel(false));
        if (!awaitAll(CANCEL_GRACE)) {
          log.warn("server={} {} call(s) did not stop within {}; leaving them", server.name(), active.size(), CANCEL_GRACE);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (InFlightCall call : List.copyOf(active)) {
      if (!call.awaitDone(Duration.ofNanos(deadline - System.nanoTime()))) {
        return false;
      }
    }
    return true;
  }

  /** Ids are compared by kind and value: the string "1" and the number 1 are different requests. */
  private static boolean isBlank(LineReader.Line line) {
    for (int i = 0; i < line.length(); i++) {
      byte b = line.bytes()[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
