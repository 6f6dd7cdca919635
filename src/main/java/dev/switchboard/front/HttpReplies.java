package dev.switchboard.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Writing JSON answers and HTTP-level refusals (with a JSON-RPC error body) in one place. */
final class HttpReplies {
  private HttpReplies() {}

  static void json(ServerResponse res, Status status, JsonNode body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(Json.writeBytes(body));
  }

  /** A refusal: the status, and a JSON-RPC error response naming what was wrong (id null unless known). */
  static void error(ServerResponse res, Status status, JsonNode id, McpError error) {
    json(res, status, JsonRpc.error(id == null ? NullNode.instance : id, error));
  }

  static void error(ServerResponse res, Status status, McpError error) {
    error(res, status, null, error);
  }
}
