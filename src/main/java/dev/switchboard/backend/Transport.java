package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One live connection to a backend that carries JSON-RPC messages both ways: a child process's
 * stdin/stdout, a Streamable HTTP session, a legacy SSE stream. It knows nothing about MCP methods
 * beyond what its framing needs (an HTTP session id, say).
 *
 * <p>Contract: {@link #send} never blocks on the backend's processing (an HTTP transport reads the
 * answer on its own thread); a failure to deliver one request is reported as an error response for
 * that request's id through the listener, a failure of the whole connection as {@code onClosed},
 * exactly once. {@link #close} ends the connection and everything it started, within a deadline.
 */
public interface Transport extends AutoCloseable {
  /** Opens the connection; messages start flowing to the listener. */
  void start(Listener listener) throws IOException;

  /** Sends one message; throws when the connection is already gone. */
  void send(ObjectNode message) throws IOException;

  /** The process id of a child process, or -1. */
  default long pid() {
    return -1;
  }

  @Override
  void close();

  interface Listener {
    /**
     * One incoming message.
     *
     * @param relatedRequestId the id of our request whose response stream carried it (HTTP), or null
     */
    void onMessage(ObjectNode message, JsonNode relatedRequestId);

    /** The connection ended; {@code reason} reads after the backend's name: "exited (code 1); stderr: …". */
    void onClosed(String reason);
  }
}
