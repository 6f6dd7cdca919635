package dev.switchboard.front;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The stateless era (2026-07-28) on {@code /mcp}: requests that carry their protocol version in {@code _meta}. */
final class StatelessEndpoint {
  static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";

  private final HttpFront front;

  StatelessEndpoint(HttpFront front) {
    this.front = front;
  }

  static boolean isStateless(ObjectNode request) {
    ObjectNode meta = Json.objectAt(JsonRpc.params(request), "_meta");
    return meta != null && meta.has(META_VERSION);
  }

  void post(ServerRequest req, ServerResponse res, Principal principal, ObjectNode message) {
    HttpReplies.error(res, Status.BAD_REQUEST_400, JsonRpc.idOf(message),
        McpError.invalidRequest("the stateless era (2026-07-28) is not served yet"));
  }
}
