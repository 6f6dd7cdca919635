package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolVersion;
import dev.switchboard.protocol.Version;
import java.time.Duration;

/**
 * The handshake era's opening, as a client: {@code initialize} with the client capabilities the
 * hub relays (sampling, elicitation, roots), and a check of the version the backend chose.
 */
final class Handshake {
  private Handshake() {}

  /** Sends initialize and returns the backend's result; throws McpError for an unusable answer. */
  static ObjectNode initialize(String name, BackendConnection c, Duration timeout) {
    ObjectNode params = Json.object();
    params.put("protocolVersion", ProtocolVersion.LATEST_HANDSHAKE);
    // What the hub relays to the client that made a call; a client without it gets a clear error.
    ObjectNode capabilities = params.putObject("capabilities");
    capabilities.putObject("sampling");
    ObjectNode elicitation = capabilities.putObject("elicitation");
    elicitation.putObject("form");
    elicitation.putObject("url");
    capabilities.putObject("roots");
    ObjectNode info = params.putObject("clientInfo");
    info.put("name", "switchboard");
    info.put("version", Version.current());
    JsonNode result = c.call(Methods.INITIALIZE, params, CallContext.internal(), timeout, timeout);
    if (!(result instanceof ObjectNode object)) {
      throw McpError.backendUnavailable("Backend '" + name + "' answered initialize with " + result.getNodeType());
    }
    String version = Json.text(object, "protocolVersion");
    if (!ProtocolVersion.isSupported(version)) {
      throw McpError.backendUnavailable("Backend '" + name + "' speaks protocol version " + version
          + ", which the hub does not (it speaks " + String.join(", ", ProtocolVersion.HANDSHAKE_ERA) + ")");
    }
    return object;
  }

}
