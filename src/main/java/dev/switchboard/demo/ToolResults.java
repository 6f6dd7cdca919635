package dev.switchboard.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;

/** Builds {@code CallToolResult} objects. */
final class ToolResults {
  private ToolResults() {}

  static ObjectNode text(String text) {
    ObjectNode result = Json.object();
    result.set("content", Json.array().add(textContent(text)));
    result.put("isError", false);
    return result;
  }

  static ObjectNode structured(String text, ObjectNode structuredContent) {
    ObjectNode result = text(text);
    result.set("structuredContent", structuredContent);
    return result;
  }

  static ObjectNode content(ArrayNode content) {
    ObjectNode result = Json.object();
    result.set("content", content);
    result.put("isError", false);
    return result;
  }

  static ObjectNode error(String message) {
    ObjectNode result = Json.object();
    result.set("content", Json.array().add(textContent(message)));
    result.put("isError", true);
    return result;
  }

  static ObjectNode textContent(String text) {
    ObjectNode content = Json.object();
    content.put("type", "text");
    content.put("text", text);
    return content;
  }
}
