package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a backend reports to its owner (the hub). Called from backend threads; must not block long. */
public interface BackendEvents {
  /** The backend's status or listing changed. */
  void onChanged(Backend backend);

  /**
   * A notification the backend itself does not route: resources/updated, or a log message sent while
   * no call was in flight.
   */
  void onNotification(Backend backend, ObjectNode notification);

  /**
   * A request from the backend (sampling, elicitation, roots) while serving {@code related}, or null
   * when the transport cannot tell which call it belongs to. Returns the result or throws McpError.
   */
  JsonNode onRequest(Backend backend, ObjectNode request, CallContext related);
}
