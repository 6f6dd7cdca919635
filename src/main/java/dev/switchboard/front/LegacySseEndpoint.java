package dev.switchboard.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.session.Session;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The deprecated HTTP+SSE transport (2024-11-05) for old clients: {@code GET /sse} opens a session
 * and its stream, whose first event names {@code /messages?sessionId=ID}; messages POSTed there are
 * answered on the stream. The session ends when the stream closes.
 */
final class LegacySseEndpoint {
  private static final ObjectNode END = Json.object();

  private final HttpFront front;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();

  private record Stream(Session session, BlockingQueue<ObjectNode> queue) {}

  LegacySseEndpoint(HttpFront front) {
    this.front = front;
  }

  void stream(ServerRequest req, ServerResponse res) {
    Principal principal = front.admit(req, res);
    if (principal == null) {
      return;
    }
    BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
    Session session = front.hub().openSession(principal, queue::add);
    session.onAccessChange(null, () -> queue.add(END)); // access revoked by a reload: the stream ends
    front.hub().endWhenTokenExpires(session);
    streams.put(session.id(), new Stream(session, queue));
    try {
      SseStream.pump(res, queue, END, front.keepalive(), sse -> sse.event("endpoint", "/messages?sessionId=" + session.id()));
    } finally {
      streams.remove(session.id());
      session.close();
    }
  }

  void post(ServerRequest req, ServerResponse res) {
    Principal principal = front.admit(req, res);
    if (principal == null) {
      return;
    }
    String id = req.query().first("sessionId").orElse(null);
    Stream stream = id == null ? null : streams.get(id);
    if (stream == null || !stream.session().principal().name().equals(principal.name())) {
      HttpReplies.error(res, Status.NOT_FOUND_404, McpError.invalidRequest(
          "no open SSE session '" + id + "'; open GET /sse first and post to the endpoint it names"));
      return;
    }
    JsonNode message = front.readJson(req, res);
    if (message == null) {
      return;
    }
    if (message.isArray()) {
      HttpReplies.error(res, Status.BAD_REQUEST_400,
          McpError.invalidRequest("batch arrays are not supported; post one JSON-RPC message at a time"));
      return;
    }
    res.status(Status.ACCEPTED_202).send();
    stream.session().receive(message); // answers go out on the stream
  }

  void endAll() {
    for (Stream stream : List.copyOf(streams.values())) {
      stream.queue().add(END);
    }
  }
}
