package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC error: thrown where a failure is found, turned into an error response in one place
 * (the session). Messages name the thing and what was expected; they never carry secrets.
 */
public final class McpError extends RuntimeException {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  /** A backend could not be reached or ended while serving the request (the TS SDK's ConnectionClosed). */
  public static final int BACKEND_UNAVAILABLE = -32000;
  /** The request ran past its deadline (the TS SDK's RequestTimeout). */
  public static final int REQUEST_TIMEOUT = -32001;
  /** MCP: a resource that does not exist. */
  public static final int RESOURCE_NOT_FOUND = -32002;
  /** MCP (stateless era): HTTP headers missing, malformed, or not matching the body. */
  public static final int HEADER_MISMATCH = -32020;
  /** MCP (stateless era): the request needs a client capability its {@code _meta} does not declare. */
  public static final int MISSING_CLIENT_CAPABILITY = -32021;
  /** MCP (stateless era): the request's protocol version is not spoken; {@code data} lists the supported ones. */
  public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

  private final int code;
  private final transient JsonNode data;

  public McpError(int code, String message) {
    this(code, message, null);
  }

  public McpError(int code, String message, JsonNode data) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
  }

  public int code() {
    return code;
  }

  public JsonNode data() {
    return data;
  }

  /** The {@code error} member of a JSON-RPC response. */
  public ObjectNode toJson() {
    ObjectNode error = Json.object();
    error.put("code", code);
    error.put("message", getMessage());
    if (data != null) {
      error.set("data", data);
    }
    return error;
  }

  /** Rebuilds an error received from a peer, keeping its code, message and data. */
  public static McpError fromJson(JsonNode error) {
    int code = error.path("code").asInt(INTERNAL_ERROR);
    String message = error.path("message").asText("(no message)");
    JsonNode data = error.get("data");
    return new McpError(code, message, data);
  }

  public static McpError parseError(String detail) {
    return new McpError(PARSE_ERROR, "Parse error: " + detail);
  }

  public static McpError invalidRequest(String detail) {
    return new McpError(INVALID_REQUEST, "Invalid request: " + detail);
  }

  public static McpError methodNotFound(String method) {
    return new McpError(METHOD_NOT_FOUND, "Method not found: " + method);
  }

  public static McpError invalidParams(String detail) {
    return new McpError(INVALID_PARAMS, "Invalid params: " + detail);
  }

  public static McpError internal(String detail) {
    return new McpError(INTERNAL_ERROR, "Internal error: " + detail);
  }

  public static McpError noServerForTool(String name) {
    return new McpError(INVALID_PARAMS, "No server registered for tool: " + name);
  }

  public static McpError backendUnavailable(String message) {
    return new McpError(BACKEND_UNAVAILABLE, message);
  }

  /** A header that is missing, malformed or disagrees with the body, named in the message. */
  public static McpError headerMismatch(String detail) {
    return new McpError(HEADER_MISMATCH, "Header mismatch: " + detail);
  }

  /** The stateless era's refusal of a version, with {@code data: {supported, requested}}. */
  public static McpError unsupportedProtocolVersion(String requested, java.util.List<String> supported, String detail) {
    ObjectNode data = Json.object();
    supported.forEach(data.putArray("supported")::add);
    data.put("requested", requested);
    return new McpError(UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version: " + detail, data);
  }

  /** Whether a code is one the stateless era defines (so its sender speaks that era). */
  public static boolean isStatelessEraCode(int code) {
    return code == HEADER_MISMATCH || code == MISSING_CLIENT_CAPABILITY || code == UNSUPPORTED_PROTOCOL_VERSION;
  }

  public static McpError timeout(String message) {
    return new McpError(REQUEST_TIMEOUT, message);
  }

  @Override
  public String toString() {
    return "McpError(" + code + "): " + getMessage();
  }
}
