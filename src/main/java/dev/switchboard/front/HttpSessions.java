package dev.switchboard.front;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Hub;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.session.Session;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake-era HTTP sessions ({@code Mcp-Session-Id}): each wraps a hub session, holds the
 * GET streams that carry what the hub sends unprompted, and ends after {@code session_idle_timeout}
 * without use, on DELETE, or at shutdown.
 */
final class HttpSessions {
  private static final Logger log = LoggerFactory.getLogger(HttpSessions.class);
  /** Marks the end of a GET stream. */
  static final ObjectNode END = Json.object();
  /** Messages kept for a session that has no GET stream open (oldest dropped first). */
  private static final int BACKLOG = 256;

  private final Hub hub;
  private final Duration idleTimeout;
  private final Map<String, HttpSession> sessions = new ConcurrentHashMap<>();

  HttpSessions(Hub hub, Duration idleTimeout) {
    this.hub = hub;
    this.idleTimeout = idleTimeout;
  }

  /** One client's HTTP session. */
  final class HttpSession {
    final Session session;
    private final Deque<ObjectNode> backlog = new ArrayDeque<>();
    private final List<BlockingQueue<ObjectNode>> streams = new ArrayList<>();
    private volatile long lastUsed = System.nanoTime();
    private volatile boolean ended;

    HttpSession(Principal principal) {
      this.session = hub.openSession(principal, this::deliver);
      // Access revoked by a config reload: the session is gone, its GET streams end.
      session.onAccessChange(null, () -> {
        sessions.remove(id(), this);
        endStreams();
      });
    }

    String id() {
      return session.id();
    }

    Principal principal() {
      return session.principal();
    }

    void touch() {
      lastUsed = System.nanoTime();
    }

    /** Something the hub sends unprompted: to the newest GET stream (never to all), else kept for the next one. */
    synchronized void deliver(ObjectNode message) {
      if (ended) {
        return;
      }
      if (!streams.isEmpty()) {
        streams.getLast().add(message);
        return;
      }
      if (backlog.size() == BACKLOG) {
        backlog.removeFirst();
      }
      backlog.addLast(message);
    }

    synchronized BlockingQueue<ObjectNode> openStream() {
      BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>(backlog);
      backlog.clear();
      if (ended) {
        queue.add(END);
      }
      streams.add(queue);
      return queue;
    }

    synchronized void closeStream(BlockingQueue<ObjectNode> queue) {
      streams.remove(queue);
      touch();
    }

    synchronized boolean hasStreams() {
      return !streams.isEmpty();
    }

    private void end() {
      endStreams();
      session.close();
    }

    private synchronized void endStreams() {
      ended = true;
      streams.forEach(stream -> stream.add(END));
    }
  }

  HttpSession create(Principal principal) {
    HttpSession created = new HttpSession(principal);
    sessions.put(created.id(), created);
    return created;
  }

  /** The live session with this id, or null. */
  HttpSession get(String id) {
    return id == null ? null : sessions.get(id);
  }

  /** Ends a session (DELETE); false when there was none. */
  boolean end(String id) {
    HttpSession session = sessions.remove(id);
    if (session == null) {
      return false;
    }
    session.end();
    return true;
  }

  int size() {
    return sessions.size();
  }

  /** Ends the sessions unused for longer than the idle timeout (run periodically). */
  void reap() {
    long now = System.nanoTime();
    for (HttpSession session : List.copyOf(sessions.values())) {
      if (!session.hasStreams() && now - session.lastUsed > idleTimeout.toNanos()) {
        log.info("session={} idle for {} s; ended", session.id().substring(0, 8), idleTimeout.toSeconds());
        end(session.id());
      }
    }
  }

  void endAll() {
    for (String id : List.copyOf(sessions.keySet())) {
      end(id);
    }
  }
}
