package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.SseReader;
import dev.switchboard.protocol.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Streamable HTTP backend (2025-11-25): every message is a POST; a request's answer comes as JSON
 * or as an SSE stream (resumed with GET and Last-Event-ID when the server closes it early); a GET
 * stream carries what the server sends on its own. The transport keeps the handshake it saw so it
 * can re-initialize by itself when the server answers 404 for an expired session.
 */
final class StreamableHttpTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(StreamableHttpTransport.class);
  private static final int MAX_RESUMES = 10;

  private final String name;
  private final URI url;
  private final Duration requestLimit;
  private final BackendHttp http;
  private Listener listener;
  private volatile String sessionId;
  private volatile String protocolVersion;
  private volatile ObjectNode initializeRequest;
  private volatile boolean initialized;
  private volatile boolean closed;
  private volatile boolean legacyHint;
  private volatile BackendHttp.Response getStream;
  private Thread getThread;

  StreamableHttpTransport(String name, URI url, Map<String, String> headers, Duration requestLimit) {
    this.http = new BackendHttp(name, url, headers);
    this.name = name;
    this.url = url;
    this.requestLimit = requestLimit;
  }

  /** True when the server refused the initialize POST as an old HTTP+SSE server would (400/404/405). */
  boolean suggestsLegacy() {
    return legacyHint;
  }

  @Override
  public void start(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void send(ObjectNode message) throws IOException {
    if (closed) {
      throw new IOException("the HTTP transport is closed");
    }
    if (HttpMessages.isRequest(message)) {
      if (Methods.INITIALIZE.equals(JsonRpc.method(message))) {
        initializeRequest = message;
      }
      Thread.ofVirtual().name("backend-" + name + "-post").start(() -> postRequest(message, true));
    } else {
      postOther(message, true);
      if (Methods.INITIALIZED.equals(JsonRpc.method(message))) {
        initialized = true;
        startGetStream();
      }
    }
  }

  /** The session's headers, and {@code more} (name, value, …; a null value leaves its header out). */
  private Map<String, String> sessionHeaders(String... more) {
    Map<String, String> headers = new LinkedHashMap<>();
    String session = sessionId;
    if (session != null) {
      headers.put("Mcp-Session-Id", session);
    }
    String version = protocolVersion;
    if (version != null) {
      headers.put("MCP-Protocol-Version", version);
    }
    for (int i = 0; i + 1 < more.length; i += 2) {
      if (more[i + 1] != null) { // a header without a value is left out
        headers.put(more[i], more[i + 1]);
      }
    }
    return headers;
  }

  private BackendHttp.Response post(ObjectNode message) throws IOException {
    return http.post(url, sessionHeaders("Content-Type", "application/json", "Accept", "application/json, text/event-stream"),
        Json.writeBytes(message), requestLimit);
  }

  /** A notification or response: the server answers 202 with no body. */
  private void postOther(ObjectNode message, boolean mayReinitialize) throws IOException {
    String usedSession = sessionId;
    int status;
    byte[] body;
    try (BackendHttp.Response response = post(message)) {
      status = response.status();
      body = response.body().readNBytes(4096);
    } catch (BackendHttp.Unreachable e) {
      throw e;
    } catch (IOException e) {
      throw new IOException("HTTP exchange failed: " + e, e);
    }
    if (sessionExpired(status, body) && usedSession != null && mayReinitialize
        && !Methods.INITIALIZED.equals(JsonRpc.method(message))) {
      reinitialize(usedSession);
      postOther(message, false);
      return;
    }
    if (status / 100 != 2) {
      throw new IOException("HTTP " + status + " for " + describe(message) + ": " + HttpMessages.bodySnippet(body));
    }
  }

  private void postRequest(ObjectNode message, boolean mayReinitialize) {
    JsonNode id = message.get("id");
    boolean isInitialize = Methods.INITIALIZE.equals(JsonRpc.method(message));
    String usedSession = sessionId;
    BackendHttp.Response response;
    try {
      response = post(message);
    } catch (IOException e) {
      if (closed) {
        return;
      }
      boolean unreachable = e instanceof BackendHttp.Unreachable;
      String reason = unreachable ? e.getMessage() : "HTTP exchange failed: " + e;
      listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' " + reason), null);
      if (unreachable) {
        listener.onClosed(reason);
      }
      return;
    }
    int status = response.status();
    try (response; InputStream body = response.body()) {
      byte[] refusal = status == 404 || status == 400 ? body.readNBytes(4096) : null;
      if (refusal != null && sessionExpired(status, refusal) && usedSession != null && mayReinitialize && !isInitialize) {
        response.close();
        try {
          reinitialize(usedSession);
        } catch (IOException e) {
          listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' session expired and re-initializing failed: "
              + e.getMessage()), null);
          return;
        }
        postRequest(message, false);
        return;
      }
      if (status / 100 != 2) {
        byte[] bytes = refusal != null ? refusal : body.readNBytes(4096);
        if (isInitialize && (status == 400 || status == 404 || status == 405)) {
          legacyHint = true;
        }
        JsonNode parsed = HttpMessages.parseOrNull(bytes);
        if (parsed instanceof ObjectNode error && error.has("error")) {
          error.set("id", id);
          listener.onMessage(error, null);
        } else {
          listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' answered HTTP " + status + " to "
              + describe(message) + ": " + HttpMessages.bodySnippet(bytes)), null);
        }
        return;
      }
      if (isInitialize) {
        response.header("Mcp-Session-Id").ifPresent(s -> sessionId = s);
      }
      if (response.contentType().startsWith("text/event-stream")) {
        readRequestStream(body, message);
      } else {
        byte[] bytes = body.readAllBytes();
        JsonNode parsed = HttpMessages.parseOrNull(bytes);
        if (parsed instanceof ObjectNode object) {
          deliver(object, id);
        } else {
          listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' answered " + describe(message)
              + " with something that is not a JSON-RPC message: " + HttpMessages.bodySnippet(bytes)), null);
        }
      }
    } catch (IOException e) {
      if (!closed) {
        listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' response to " + describe(message)
            + " broke off: " + e.getMessage()), null);
      }
    }
  }

  /** Reads a request's SSE stream until its response; resumes with GET + Last-Event-ID when cut early. */
  private void readRequestStream(InputStream body, ObjectNode message) throws IOException {
    JsonNode id = message.get("id");
    SseReader reader = new SseReader(body, HttpMessages.MAX_LINE);
    long retryMillis = 1000;
    for (int resumes = 0; ; resumes++) {
      SseReader.Event event;
      while ((event = reader.next()) != null) {
        if (event.retryMillis() != null) {
          retryMillis = event.retryMillis();
        }
        if (deliverEvent(event, id)) {
          return;
        }
      }
      String lastId = reader.lastEventId();
      if (lastId == null || resumes >= MAX_RESUMES || closed) {
        listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' ended the stream for " + describe(message)
            + " before answering"), null);
        return;
      }
      if (!pause(retryMillis)) {
        return;
      }
      BackendHttp.Response resumed = http.get(url, sessionHeaders("Accept", "text/event-stream", "Last-Event-ID", lastId),
          requestLimit);
      if (resumed.status() != 200) {
        resumed.close();
        listener.onMessage(HttpMessages.errorFor(id, "Backend '" + name + "' could not resume the stream for "
            + describe(message) + " (HTTP " + resumed.status() + ")"), null);
        return;
      }
      body.close();
      body = resumed.body();
      reader = new SseReader(body, HttpMessages.MAX_LINE);
    }
  }

  /** Delivers one event's message; true when it was the response to {@code id}. */
  private boolean deliverEvent(SseReader.Event event, JsonNode id) {
    if (event.data().isBlank()) {
      return false; // a priming event: carries only an id to resume from
    }
    JsonNode parsed = HttpMessages.parseOrNull(event.data().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (!(parsed instanceof ObjectNode object)) {
      log.warn("backend={} sent an SSE event that is not a JSON-RPC message (ignored): {}", name, Snippet.of(event.data()));
      return false;
    }
    deliver(object, id);
    return sameId(id, object.get("id")) && !object.has("method");
  }

  /**
   * Whether two JSON-RPC ids are the same id: we send longs, the server's echo parses back as
   * whatever number node fits (an IntNode is never equal() to a LongNode).
   */
  static boolean sameId(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return false;
    }
    if (a.isIntegralNumber() && b.isIntegralNumber()) {
      return a.bigIntegerValue().equals(b.bigIntegerValue());
    }
    return a.equals(b);
  }

  private void deliver(ObjectNode message, JsonNode relatedId) {
    if (relatedId != null && Methods.INITIALIZE.equals(JsonRpc.method(initializeRequest))
        && sameId(relatedId, initializeRequest.get("id")) && message.has("result")) {
      protocolVersion = Json.text(message.get("result"), "protocolVersion");
    }
    listener.onMessage(message, relatedId);
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(Math.min(Math.max(millis, 0), 30_000)); // the server's retry hint
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts a new session after a 404, unless another thread already did. */
  private synchronized void reinitialize(String expiredSession) throws IOException {
    if (!expiredSession.equals(sessionId)) {
      return;
    }
    ObjectNode init = initializeRequest;
    if (init == null) {
      throw new IOException("no initialize request to replay");
    }
    log.info("backend={} session expired (HTTP 404); starting a new session", name);
    sessionId = null;
    ObjectNode replay = init.deepCopy();
    replay.put("id", "switchboard-reinitialize");
    try (BackendHttp.Response response = post(replay); InputStream body = response.body()) {
      if (response.status() != 200) {
        throw new IOException("HTTP " + response.status() + " to initialize");
      }
      response.header("Mcp-Session-Id").ifPresent(s -> sessionId = s);
      if (response.contentType().startsWith("text/event-stream")) {
        SseReader reader = new SseReader(body, HttpMessages.MAX_LINE);
        SseReader.Event event;
        while ((event = reader.next()) != null && !event.data().contains("\"switchboard-reinitialize\"")) {
          // skip anything before the initialize result
        }
      } else {
        body.readAllBytes();
      }
    }
    postOther(JsonRpc.notification(Methods.INITIALIZED, null), false);
  }

  private void startGetStream() {
    if (getThread != null) {
      return;
    }
    getThread = Thread.ofVirtual().name("backend-" + name + "-get").start(this::readGetStream);
  }

  /** The server's own stream: notifications and requests unrelated to a POST. Reconnects with backoff. */
  private void readGetStream() {
    long backoff = 1000;
    String lastId = null;
    while (!closed) {
      try {
        BackendHttp.Response response =
            http.get(url, sessionHeaders("Accept", "text/event-stream", "Last-Event-ID", lastId), BackendHttp.FOREVER);
        if (response.status() == 405 || response.status() == 404 && sessionId == null) {
          response.close();
          log.debug("backend={} offers no GET stream (HTTP {})", name, response.status());
          return;
        }
        if (response.status() != 200) {
          response.close();
          log.debug("backend={} GET stream refused (HTTP {})", name, response.status());
        } else {
          getStream = response;
          try (response) {
            SseReader reader = new SseReader(response.body(), HttpMessages.MAX_LINE);
            SseReader.Event event;
            while ((event = reader.next()) != null) {
              if (event.retryMillis() != null) {
                backoff = event.retryMillis();
              }
              if (!event.data().isBlank()) {
                deliverEvent(event, null);
              }
            }
            lastId = reader.lastEventId();
          }
          if (lastId != null) {
            backoff = Math.min(backoff, 1000);
          }
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
        log.debug("backend={} GET stream ended: {}", name, e.toString());
      }
      if (!pause(backoff)) {
        return;
      }
      backoff = Math.min(backoff * 2, 30_000);
    }
  }

  /**
   * 404 is the spec's answer for an ended session; many servers answer 400 "No valid session ID"
   * instead (e.g. after a restart), which is treated the same way.
   */
  private static boolean sessionExpired(int status, byte[] body) {
    return status == 404
        || status == 400 && new String(body, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT).contains("session");
  }

  private static String describe(ObjectNode message) {
    return Optional.ofNullable(JsonRpc.method(message)).orElse("a response");
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    BackendHttp.Response stream = getStream;
    if (stream != null) {
      stream.close();
    }
    if (getThread != null) {
      getThread.interrupt();
    }
    String session = sessionId;
    if (session != null && initialized) {
      try {
        int status = http.delete(url, sessionHeaders(), Duration.ofSeconds(2));
        log.debug("backend={} session ended (HTTP {})", name, status);
      } catch (IOException e) {
        log.debug("backend={} session end failed: {}", name, e.toString());
      }
    }
    http.close();
  }
}
