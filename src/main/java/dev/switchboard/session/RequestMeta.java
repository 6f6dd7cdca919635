package dev.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.LogLevels;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.Methods;

/**
 * What a stateless-era request says about itself in {@code params._meta}: the protocol version, the
 * client's identity and capabilities, and the log level it wants (null: no log messages at all).
 *
 * @param protocolVersion {@code io.modelcontextprotocol/protocolVersion}, required
 * @param clientInfo {@code io.modelcontextprotocol/clientInfo}, or null (optional)
 * @param clientCapabilities {@code io.modelcontextprotocol/clientCapabilities}, required (may be empty)
 * @param logLevel {@code io.modelcontextprotocol/logLevel}, or null
 */
public record RequestMeta(String protocolVersion, ObjectNode clientInfo, ObjectNode clientCapabilities, String logLevel) {

  /**
   * Whether a request belongs to the stateless era: its {@code _meta} names a protocol version, or its
   * method exists only in that era ({@code server/discover}, {@code subscriptions/listen}).
   */
  public static boolean isStateless(ObjectNode request) {
    String method = JsonRpc.method(request);
    if (Methods.SERVER_DISCOVER.equals(method) || Methods.SUBSCRIPTIONS_LISTEN.equals(method)) {
      return true;
    }
    ObjectNode meta = Json.objectAt(JsonRpc.params(request), "_meta");
    return meta != null && meta.has(MetaKeys.PROTOCOL_VERSION);
  }

  /**
   * Reads the per-request fields.
   *
   * @throws McpError {@code -32602} naming the missing or malformed field (a malformed request: HTTP 400)
   */
  public static RequestMeta of(ObjectNode params) {
    JsonNode metaNode = params.get("_meta");
    if (!(metaNode instanceof ObjectNode meta)) {
      throw McpError.invalidParams("\"_meta\" with " + MetaKeys.PROTOCOL_VERSION + " and " + MetaKeys.CLIENT_CAPABILITIES
          + " is required on every request of protocol version 2026-07-28 and later");
    }
    JsonNode version = meta.get(MetaKeys.PROTOCOL_VERSION);
    if (version == null || !version.isTextual() || version.textValue().isEmpty()) {
      throw McpError.invalidParams("_meta." + MetaKeys.PROTOCOL_VERSION + " is required (a non-empty string)");
    }
    JsonNode capabilities = meta.get(MetaKeys.CLIENT_CAPABILITIES);
    if (!(capabilities instanceof ObjectNode capabilityObject)) {
      throw McpError.invalidParams("_meta." + MetaKeys.CLIENT_CAPABILITIES + " is required (an object, {} for none)");
    }
    JsonNode info = meta.get(MetaKeys.CLIENT_INFO);
    if (info != null && !info.isNull() && !info.isObject()) {
      throw McpError.invalidParams("_meta." + MetaKeys.CLIENT_INFO + " must be an object with name and version");
    }
    JsonNode level = meta.get(MetaKeys.LOG_LEVEL);
    if (level != null && !level.isNull() && LogLevels.rank(level.asText(null)) < 0) {
      throw McpError.invalidParams("_meta." + MetaKeys.LOG_LEVEL + " must be one of " + String.join(", ", LogLevels.ALL)
          + ", got " + level);
    }
    return new RequestMeta(version.textValue(), info instanceof ObjectNode o ? o : null, capabilityObject,
        level == null || level.isNull() ? null : level.textValue());
  }

  /**
   * Whether a log message may reach this request's client: only with a log level, and only at or above
   * it. (Without {@code logLevel} the server must not emit {@code notifications/message} at all.)
   */
  public boolean admitsLog(ObjectNode notification) {
    if (logLevel == null) {
      return false;
    }
    String level = Json.text(JsonRpc.params(notification), "level");
    return LogLevels.rank(level) >= LogLevels.rank(logLevel);
  }

  /** The client's name for logs, or "an unnamed client". */
  public String clientName() {
    String name = Json.text(clientInfo, "name");
    return name == null ? "an unnamed client" : name;
  }
}
