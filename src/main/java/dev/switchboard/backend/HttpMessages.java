package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;

/** What the HTTP transports share: the line limit of their SSE streams and the error responses they synthesize. */
final class HttpMessages {
  static final int MAX_LINE = 64 * 1024 * 1024;

  private HttpMessages() {}

  /** An error response for our own request {@code id}, delivered as if the backend had sent it. */
  static ObjectNode errorFor(JsonNode id, String message) {
    return JsonRpc.error(id, McpError.backendUnavailable(message));
  }

  static boolean isRequest(ObjectNode message) {
    return message.has("method") && message.has("id");
  }

  static String bodySnippet(byte[] body) {
    return body.length == 0 ? "(empty body)" : Snippet.of(body);
  }

  static JsonNode parseOrNull(byte[] body) {
    try {
      return Json.parse(body, 0, body.length);
    } catch (McpError e) {
      return null;
    }
  }
}
