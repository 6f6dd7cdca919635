package dev.switchboard.front;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Authenticator;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.session.Session;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket at {@code /ws}: subprotocol {@code mcp}, one JSON-RPC message per text frame, the
 * semantics of a stdio session. With users configured the token comes from {@code Authorization:
 * Bearer} or {@code ?token=}; without a valid one the connection is closed with 1008
 * {@code Unauthorized}. Each connection has its own session; closing it cancels what is in flight.
 * Outgoing frames go through a bounded queue and one writer per connection, so a slow client never
 * blocks a backend; pings detect dead peers.
 */
final class WebSocketEndpoint {
  private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);
  static final String SUBPROTOCOL = "mcp";
  private static final io.helidon.http.HeaderName SEC_WEBSOCKET_PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");
  /** Frames waiting for a slow client before its connection is dropped. */
  private static final int MAX_QUEUED = 10_000;
  private static final int MAX_MESSAGE = 16 * 1024 * 1024;
  /** How long shutdown waits for close frames to be written before dropping connections. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  private final HttpFront front;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

  WebSocketEndpoint(HttpFront front) {
    this.front = front;
  }

  WsListener listener() {
    return new Connection();
  }

  int size() {
    return connections.size();
  }

  /** Waits until no connection has a request in flight, or the deadline (System.nanoTime) passes. */
  void awaitIdle(long deadline) throws InterruptedException {
    for (Connection connection : List.copyOf(connections)) {
      Session current = connection.session;
      long remaining = deadline - System.nanoTime();
      if (current != null && remaining > 0) {
        current.awaitIdle(Duration.ofNanos(remaining));
      }
    }
  }

  /** Pings every connection; one that did not answer the previous ping is dropped. */
  void keepAlive() {
    for (Connection connection : List.copyOf(connections)) {
      connection.ping();
    }
  }

  /**
   * Closes every connection with a close frame, each on its own thread; a connection whose close
   * frame is not written within {@link #CLOSE_WAIT} (its peer stopped reading and the socket is
   * full) is dropped, so shutdown never waits on a client.
   */
  void closeAll(int code, String reason) {
    Map<Connection, Thread> closing = new HashMap<>();
    for (Connection connection : List.copyOf(connections)) {
      closing.put(connection, Thread.ofVirtual().name("ws-close").start(() -> connection.close(code, reason)));
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    try {
      for (Thread thread : closing.values()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !thread.join(Duration.ofNanos(remaining))) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closing.forEach((connection, thread) -> {
      if (thread.isAlive()) {
        log.info("websocket close frame not written within {} ms; dropping the connection", CLOSE_WAIT.toMillis());
        connection.drop();
      }
    });
  }

  private final class Connection implements WsListener {
    private static final String PING = "\u0000ping";
    /** Frames to send, in order, by one writer that exists only while there is something to send. */
    private final Mailbox<String> outgoing = new Mailbox<>(MAX_QUEUED, "ws-writer", this::send);
    /**
     * Messages received, served in the order they came (a cancellation after its request finds
     * it), off Helidon's reading thread so a request that waits does not stop the reading.
     */
    private final Mailbox<byte[]> incoming = new Mailbox<>(MAX_QUEUED, "ws-requests", this::serve);
    private final StringBuilder partial = new StringBuilder();
    private final Object sendLock = new Object();
    private volatile WsSession ws;
    private volatile Session session;
    private volatile Principal principal;
    private volatile String refusal;
    private volatile boolean awaitingPong;

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
      if (front.draining()) {
        throw new WsUpgradeException("the hub is shutting down");
      }
      String origin = headers.first(HeaderNames.ORIGIN).orElse(null);
      String host = headers.first(HeaderNames.HOST).orElse(null);
      if (!front.origins().originAllowed(origin) || !front.origins().hostAllowed(host)) {
        throw new WsUpgradeException("Origin or Host not allowed");
      }
      String token = Authenticator.bearer(headers.first(HeaderNames.AUTHORIZATION).orElse(null));
      if (token == null) {
        token = prologue.query().first("token").orElse(null);
      }
      principal = front.authenticator().authenticate(token).principal();
      if (principal == null) {
        refusal = "Unauthorized"; // closed with 1008 once open, as clients expect
      } else if (!front.missingForEndpoint(principal).isEmpty()) {
        refusal = "Forbidden";
      }
      WritableHeaders<?> reply = WritableHeaders.create();
      for (String offered : headers.values(SEC_WEBSOCKET_PROTOCOL)) {
        for (String protocol : offered.split(",")) {
          if (protocol.trim().equals(SUBPROTOCOL)) {
            reply.set(SEC_WEBSOCKET_PROTOCOL, SUBPROTOCOL);
          }
        }
      }
      return Optional.of(reply);
    }

    @Override
    public void onOpen(WsSession ws) {
      this.ws = ws;
      if (refusal != null) {
        ws.close(1008, refusal);
        return;
      }
      connections.add(this);
      Session opened = front.hub().openSession(principal, this::enqueue);
      // Access revoked by a config reload: closed as a bad token is (on its own thread: a peer
      // that stopped reading must not hold up the reload).
      opened.onAccessChange(null, () -> Thread.ofVirtual().name("ws-revoke").start(() -> close(1008, "Unauthorized")));
      session = opened;
      front.hub().endWhenTokenExpires(opened); // closed with 1008 like a refused token
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
      Session current = session;
      if (current == null) {
        return;
      }
      if (partial.length() + text.length() > MAX_MESSAGE) {
        partial.setLength(0);
        enqueue(JsonRpc.error(NullNode.instance, McpError.invalidRequest("message longer than " + MAX_MESSAGE + " bytes")));
        return;
      }
      partial.append(text);
      if (!last) {
        return;
      }
      byte[] message = partial.toString().getBytes(StandardCharsets.UTF_8);
      partial.setLength(0);
      if (!incoming.offer(message)) {
        log.warn("websocket client sent {} messages the hub has not served yet; dropping it", MAX_QUEUED);
        drop(ws);
      }
    }

    private void serve(byte[] message) {
      Session current = session;
      if (current != null && connections.contains(this)) {
        current.receive(message);
      }
    }

    @Override
    public void onMessage(WsSession ws, BufferData buffer, boolean last) {
      if (last) {
        enqueue(JsonRpc.error(NullNode.instance,
            McpError.invalidRequest("binary frames are not supported; send each JSON-RPC message as one text frame")));
      }
    }

    @Override
    public void onPong(WsSession ws, BufferData buffer) {
      awaitingPong = false;
    }

    @Override
    public void onClose(WsSession ws, int status, String reason) {
      release();
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
      log.debug("websocket error: {}", t.toString());
      release();
    }

    /**
     * Queues a frame for the writer; called from backend reader threads, so it never waits. A client
     * that lets the queue fill is dropped, not sent a close frame: the writer holds the send lock
     * while it is stuck on that client's full socket, and waiting for it would stall the backend.
     */
    private void enqueue(ObjectNode message) {
      if (!outgoing.offer(Json.write(message))) {
        WsSession current = ws;
        if (current != null && connections.contains(this)) {
          log.warn("websocket client is not reading ({} frames queued); dropping it", MAX_QUEUED);
          drop(current);
        }
      }
    }

    private void send(String frame) {
      if (!connections.contains(this)) {
        return;
      }
      try {
        synchronized (sendLock) {
          if (frame == PING) {
            ws.ping(BufferData.empty());
          } else {
            ws.send(frame, true);
          }
        }
      } catch (RuntimeException e) {
        log.debug("websocket send failed: {}", e.toString());
        release();
      }
    }

    /**
     * Drops a connection whose peer missed the previous ping; otherwise has the writer send a ping.
     * Never writes to the socket itself: the timer thread must not wait on a peer that stopped reading.
     */
    void ping() {
      WsSession current = ws;
      if (current == null) {
        return;
      }
      if (awaitingPong) {
        log.info("websocket peer did not answer a ping within {} ms; dropping the connection", front.keepalive().toMillis());
        drop(current);
        return;
      }
      awaitingPong = true;
      if (!outgoing.offer(PING)) {
        log.warn("websocket client is not reading ({} frames queued); dropping it", MAX_QUEUED);
        drop(current);
      }
    }

    /**
     * Ends the connection at once, without a closing handshake a dead peer would never answer.
     * {@link WsSession#terminate()} only works on the connection's own thread (it throws to unwind
     * it) and a close frame alone leaves the socket open; so this does what Helidon's idle check
     * does: stop the connection's loop and interrupt its thread, which closes the socket.
     */
    private void drop(WsSession current) {
      release();
      if (current instanceof ServerConnection connection) {
        connection.close(true);
      }
    }
    /** Drops the connection if it is open; for shutdown. */
    private void drop() {
      WsSession current = ws;
      if (current != null) {
        drop(current);
      }
    }

    void close(int code, String reason) {
      WsSession current = ws;
      if (current != null) {
        try {
          synchronized (sendLock) {
            current.close(code, reason);
          }
        } catch (RuntimeException e) {
          // already gone
        }
      }
      release();
    }

    /** Ends the session (cancelling what is in flight) and the writer; idempotent. */
    private void release() {
      if (!connections.remove(this)) {
        return;
      }
      Session current = session;
      if (current != null) {
        current.close();
      }
      outgoing.clear();
      incoming.clear();
    }
  }
}
