package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds and classifies JSON-RPC 2.0 messages over Jackson trees. A message is a request (method
 * and id), a notification (method, no id) or a response (id with result or error).
 */
public final class JsonRpc {
  public static final String VERSION = "2.0";

  private JsonRpc() {}

  public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

  public static ObjectNode request(JsonNode id, String method, JsonNode params) {
    ObjectNode m = Json.object();
    m.put("jsonrpc", VERSION);
    m.set("id", id);
    m.put("method", method);
    if (params != null && !params.isNull()) {
      m.set("params", params);
    }
    return m;
  }

  public static ObjectNode notification(String method, JsonNode params) {
    ObjectNode m = Json.object();
    m.put("jsonrpc", VERSION);
    m.put("method", method);
    if (params != null && !params.isNull()) {
      m.set("params", params);
    }
    return m;
  }

  public static ObjectNode result(JsonNode id, JsonNode result) {
    ObjectNode m = Json.object();
    m.put("jsonrpc", VERSION);
    m.set("id", id == null ? NullNode.instance : id);
    m.set("result", result == null ? Json.object() : result);
    return m;
  }

  public static ObjectNode error(JsonNode id, McpError error) {
    ObjectNode m = Json.object();
    m.put("jsonrpc", VERSION);
    m.set("id", id == null ? NullNode.instance : id);
    m.set("error", error.toJson());
    return m;
  }

  /**
   * Checks the envelope of one incoming message and says what it is. Throws
   * {@link McpError#invalidRequest} naming what is wrong; {@link #idOf} still gives the id to answer with.
   */
  public static Kind classify(JsonNode message) {
    if (message.isArray()) {
      throw McpError.invalidRequest("batch arrays are not supported; send one JSON-RPC message at a time");
    }
    if (!(message instanceof ObjectNode o)) {
      throw McpError.invalidRequest("expected a JSON object, got " + message.getNodeType().toString().toLowerCase());
    }
    JsonNode version = o.get("jsonrpc");
    if (version == null || !VERSION.equals(version.asText(null)) || !version.isTextual()) {
      throw McpError.invalidRequest("\"jsonrpc\" must be \"2.0\"");
    }
    JsonNode method = o.get("method");
    JsonNode id = o.get("id");
    if (method != null) {
      if (!method.isTextual() || method.textValue().isEmpty()) {
        throw McpError.invalidRequest("\"method\" must be a non-empty string");
      }
      if (id == null) {
        return Kind.NOTIFICATION;
      }
      requireValidId(id);
      JsonNode params = o.get("params");
      if (params != null && !params.isObject() && !params.isNull()) {
        throw McpError.invalidRequest("\"params\" must be an object");
      }
      return Kind.REQUEST;
    }
    if (id != null && (o.has("result") || o.has("error"))) {
      if (o.has("result") && o.has("error")) {
        throw McpError.invalidRequest("a response has \"result\" or \"error\", not both");
      }
      return Kind.RESPONSE;
    }
    throw McpError.invalidRequest("a message needs \"method\" (request or notification) or \"id\" with \"result\" or \"error\" (response)");
  }

  private static void requireValidId(JsonNode id) {
    if (!(id.isTextual() || id.isIntegralNumber())) {
      throw McpError.invalidRequest("\"id\" must be a string or an integer");
    }
  }

  /**
   * A map key for a request id that keeps {@code 1} and {@code "1"} apart, as JSON-RPC says, without
   * serializing the node (which costs a JSON generator per request).
   */
  public static String idKey(JsonNode id) {
    if (id.isTextual()) {
      return "s:" + id.textValue();
    }
    return id.isIntegralNumber() ? "n:" + id.asText() : "j:" + id;
  }

  /** The id to answer a possibly invalid message with: its id when usable, else JSON null. */
  public static JsonNode idOf(JsonNode message) {
    JsonNode id = message instanceof ObjectNode o ? o.get("id") : null;
    return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : NullNode.instance;
  }

  public static String method(JsonNode message) {
    return Json.text(message, "method");
  }

  /** The params object of a request; an absent or null params is an empty object. */
  public static ObjectNode params(JsonNode message) {
    JsonNode params = message.get("params");
    return params instanceof ObjectNode o ? o : Json.object();
  }
}
