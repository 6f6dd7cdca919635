package dev.switchboard.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolVersion;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.concurrent.BlockingQueue;

/**
 * Streamable HTTP at {@code /mcp}. Handshake-era clients (2024-11-05 … 2025-11-25) get sessions:
 * POST {@code initialize} creates one ({@code Mcp-Session-Id}), POST carries requests (answered as
 * JSON or SSE), notifications and responses (202), GET opens the session's stream of what the hub
 * sends unprompted, DELETE ends it. Requests carrying the stateless era's per-request metadata go
 * to {@link StatelessEndpoint} on the same path.
 */
final class McpEndpoint {
  static final String SESSION_HEADER = "Mcp-Session-Id";
  static final String VERSION_HEADER = "MCP-Protocol-Version";

  private final HttpFront front;
  private final HttpSessions sessions;
  private final StatelessEndpoint stateless;

  McpEndpoint(HttpFront front, HttpSessions sessions, StatelessEndpoint stateless) {
    this.front = front;
    this.sessions = sessions;
    this.stateless = stateless;
  }

  void post(ServerRequest req, ServerResponse res) {
    Principal principal = front.admit(req, res);
    if (principal == null) {
      return;
    }
    String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      HttpReplies.error(res, Status.UNSUPPORTED_MEDIA_TYPE_415,
          McpError.invalidRequest("Content-Type must be application/json, got '" + contentType + "'"));
      return;
    }
    String accept = req.headers().first(HeaderNames.ACCEPT).orElse("");
    if (!HttpFront.accepts(accept, "application/json") || !HttpFront.accepts(accept, "text/event-stream")) {
      HttpReplies.error(res, Status.NOT_ACCEPTABLE_406,
          McpError.invalidRequest("Accept must list both application/json and text/event-stream"));
      return;
    }
    JsonNode body = front.readJson(req, res);
    if (body == null) {
      return;
    }
    JsonRpc.Kind kind;
    try {
      kind = JsonRpc.classify(body);
    } catch (McpError e) {
      HttpReplies.error(res, Status.BAD_REQUEST_400, JsonRpc.idOf(body), e);
      return;
    }
    ObjectNode message = (ObjectNode) body;
    if (kind == JsonRpc.Kind.REQUEST && StatelessEndpoint.isStateless(message, req)) {
      stateless.post(req, res, principal, message);
      return;
    }
    if (kind == JsonRpc.Kind.REQUEST && Methods.INITIALIZE.equals(JsonRpc.method(message))) {
      initialize(res, principal, message);
      return;
    }
    HttpSessions.HttpSession session = session(req, res, principal);
    if (session == null) {
      return;
    }
    String version = req.headers().first(HeaderNames.create(VERSION_HEADER)).orElse(null);
    if (version != null && !ProtocolVersion.isSupported(version)) {
      HttpReplies.error(res, Status.BAD_REQUEST_400, JsonRpc.idOf(message), McpError.invalidRequest(
          "unsupported MCP-Protocol-Version '" + version + "'; supported: " + String.join(", ", ProtocolVersion.HANDSHAKE_ERA)));
      return;
    }
    session.touch();
    if (kind != JsonRpc.Kind.REQUEST) {
      session.session.receive(message);
      res.status(Status.ACCEPTED_202).send();
      return;
    }
    Exchange exchange = new Exchange();
    session.session.serve(message, exchange::notification, exchange::respond);
    // In this era a dropped connection is not a cancellation (the client sends notifications/cancelled).
    exchange.deliver(res, front.keepalive(), () -> {});
    session.touch();
  }

  private void initialize(ServerResponse res, Principal principal, ObjectNode message) {
    HttpSessions.HttpSession session = sessions.create(principal);
    ObjectNode response = session.session.request(message, notification -> {});
    if (response == null || response.has("error")) {
      sessions.end(session.id());
      HttpReplies.json(res, Status.OK_200, response == null ? JsonRpc.error(message.get("id"),
          McpError.internal("initialize was cancelled")) : response);
      return;
    }
    res.header(SESSION_HEADER, session.id());
    HttpReplies.json(res, Status.OK_200, response);
  }

  /** The session a request names: 400 without the header, 404 for an unknown one or one of another principal. */
  private HttpSessions.HttpSession session(ServerRequest req, ServerResponse res, Principal principal) {
    String id = req.headers().first(HeaderNames.create(SESSION_HEADER)).orElse(null);
    if (id == null || id.isBlank()) {
      HttpReplies.error(res, Status.BAD_REQUEST_400, McpError.invalidRequest(
          "Mcp-Session-Id header is required; send initialize first to start a session"));
      return null;
    }
    HttpSessions.HttpSession session = sessions.get(id);
    if (session == null || !session.principal().name().equals(principal.name())) {
      HttpReplies.error(res, Status.NOT_FOUND_404, new McpError(-32001, "Session not found: it ended or never existed;"
          + " send initialize without Mcp-Session-Id to start a new one"));
      return null;
    }
    return session;
  }

  /** GET: the session's stream of what the hub sends unprompted (list changes, logs), with keep-alives. */
  void get(ServerRequest req, ServerResponse res) {
    Principal principal = front.admit(req, res);
    if (principal == null) {
      return;
    }
    String accept = req.headers().first(HeaderNames.ACCEPT).orElse("");
    if (!HttpFront.accepts(accept, "text/event-stream")) {
      HttpReplies.error(res, Status.NOT_ACCEPTABLE_406, McpError.invalidRequest("Accept must list text/event-stream"));
      return;
    }
    HttpSessions.HttpSession session = session(req, res, principal);
    if (session == null) {
      return;
    }
    BlockingQueue<ObjectNode> queue = session.openStream();
    try {
      SseStream.pump(res, queue, HttpSessions.END, front.keepalive(), sse -> { });
    } finally {
      session.closeStream(queue);
    }
  }

  /** DELETE: ends the session. */
  void delete(ServerRequest req, ServerResponse res) {
    Principal principal = front.admit(req, res);
    if (principal == null) {
      return;
    }
    HttpSessions.HttpSession session = session(req, res, principal);
    if (session == null) {
      return;
    }
    sessions.end(session.id());
    res.status(Status.OK_200).send();
  }

  void other(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.ALLOW, "GET, POST, DELETE");
    HttpReplies.error(res, Status.METHOD_NOT_ALLOWED_405,
        McpError.invalidRequest(req.prologue().method().text() + " is not allowed on /mcp; use POST, GET or DELETE"));
  }
}
