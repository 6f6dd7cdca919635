package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Futures;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.Methods;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC over one {@link Transport}: allocates request ids, matches responses, enforces deadlines
 * (reset by progress, with a hard maximum), remaps progress tokens, and fails every pending request
 * at once when the transport ends. Thread-safe; callers block on virtual threads.
 */
final class BackendConnection implements Transport.Listener {
  private static final Logger log = LoggerFactory.getLogger(BackendConnection.class);

  /** What the backend sends on its own: notifications and server→client requests. */
  interface Handler {
    /** @param related the pending call the message belongs to when the transport knows it, else null */
    void onNotification(ObjectNode message, CallContext related);

    /** Answers a request from the backend (ping, sampling, roots…); returns the result or throws McpError. */
    JsonNode onRequest(ObjectNode request, CallContext related);
  }

  private final String backend;
  private final Transport transport;
  private final Handler handler;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, Pending> byProgressToken = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile String closeReason;
  /** Shapes every outgoing request's params for the backend's protocol era (see {@link #shapeRequests}). */
  private volatile BiFunction<String, ObjectNode, ObjectNode> shaper = (method, params) -> params;

  BackendConnection(String backend, Transport transport, Handler handler) {
    this.backend = backend;
    this.transport = transport;
    this.handler = handler;
  }

  /**
   * Sets what every request's params go through before they are sent (from now on): the era's
   * {@code _meta} for a stateless-era backend. The function returns a copy when it changes anything.
   */
  void shapeRequests(BiFunction<String, ObjectNode, ObjectNode> shaper) {
    this.shaper = shaper;
  }

  void start() throws IOException {
    transport.start(this);
  }

  long pid() {
    return transport.pid();
  }

  boolean isClosed() {
    return closeReason != null;
  }

  String closeReason() {
    return closeReason;
  }

  /** Waits until the transport ends; true when it did within the timeout. */
  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Contexts of the calls now in flight (for notifications the backend does not tie to a request). */
  Collection<CallContext> inFlightContexts() {
    Map<CallContext, Boolean> distinct = new IdentityHashMap<>();
    for (Pending p : pending.values()) {
      distinct.put(p.context, Boolean.TRUE);
    }
    return new ArrayList<>(distinct.keySet());
  }

  int inFlight() {
    return pending.size();
  }

  void notify(String method, JsonNode params) throws IOException {
    transport.send(JsonRpc.notification(method, params));
  }

  /**
   * Sends a request and waits for its result.
   *
   * @throws McpError the backend's own error, {@link McpError#BACKEND_UNAVAILABLE} when the connection
   *     ends first, {@link McpError#REQUEST_TIMEOUT} past the deadline
   */
  JsonNode call(String method, ObjectNode params, CallContext context, Duration timeout, Duration maxTimeout) {
    return Futures.await(send(method, params, context, timeout, maxTimeout));
  }

  /**
   * Sends a request; the future completes with its result, or exceptionally with an {@link McpError}
   * (the backend's own, {@link McpError#BACKEND_UNAVAILABLE} when the connection ends first,
   * {@link McpError#REQUEST_TIMEOUT} past the deadline). The deadline restarts with each progress
   * notification, up to {@code maxTimeout}. The future completes on a backend thread: what is
   * chained to it must not block.
   */
  CompletableFuture<JsonNode> send(String method, ObjectNode params, CallContext context, Duration timeout,
      Duration maxTimeout) {
    String reason = closeReason;
    if (reason != null) {
      return CompletableFuture.failedFuture(McpError.backendUnavailable("Backend '" + backend + "' " + reason));
    }
    long id = ids.incrementAndGet();
    Pending call = new Pending(id, method, context, timeout.toNanos(), maxTimeout);
    ObjectNode sentParams = shaper.apply(method, params);
    if (context.progressToken() != null) {
      call.backendToken = "sb-" + id;
      sentParams = withProgressToken(sentParams, call.backendToken);
      byProgressToken.put(call.backendToken, call);
    }
    pending.put(id, call);
    call.removeHook = context.onCancel(() -> cancel(call, context.cancelReason(), null));
    call.armDeadline();
    try {
      transport.send(JsonRpc.request(LongNode.valueOf(id), method, sentParams));
    } catch (IOException e) {
      String closedReason = closeReason;
      call.finish(McpError.backendUnavailable("Backend '" + backend + "' "
          + (closedReason != null ? closedReason + " during " + method : "could not be sent " + method + ": " + e.getMessage())));
    }
    return call.result;
  }

  /** Fires at a call's deadline: fails it, unless progress moved the deadline, then re-arms. */
  private void checkDeadline(Pending call) {
    if (call.result.isDone()) {
      return;
    }
    long now = System.nanoTime();
    if (call.deadline() - now > 0) {
      call.armDeadline();
      return;
    }
    boolean hard = call.maxTimeout.toNanos() > call.timeoutNanos && call.hardDeadline - now <= 0;
    Duration limit = hard ? call.maxTimeout : Duration.ofNanos(call.timeoutNanos);
    cancel(call, "timed out after " + Durations.text(limit), McpError.timeout("Backend '" + backend
        + "' did not answer " + call.method + " within " + Durations.text(limit) + (hard ? " (the hard maximum)" : "")));
  }

  /**
   * Stops waiting for a call and tells the backend, which may stop working on it.
   *
   * @param failure what the caller gets; null for a cancellation by the client (who gets no answer)
   */
  private void cancel(Pending call, String reason, McpError failure) {
    if (pending.get(call.id) != call) {
      return;
    }
    call.finish(failure != null ? failure : new McpError(McpError.REQUEST_TIMEOUT, "Request cancelled: " + reason));
    if (!Methods.INITIALIZE.equals(call.method) && !Methods.SERVER_DISCOVER.equals(call.method)) {
      ObjectNode params = Json.object();
      params.put("requestId", call.id);
      params.put("reason", reason);
      try {
        notify(Methods.CANCELLED, params);
      } catch (IOException e) {
        log.debug("backend={} could not send cancellation of request {}: {}", backend, call.id, e.toString());
      }
    }
  }

  private static ObjectNode withProgressToken(ObjectNode params, String token) {
    ObjectNode copy = Json.object();
    copy.setAll(params);
    ObjectNode meta = Json.object();
    ObjectNode original = Json.objectAt(params, "_meta");
    if (original != null) {
      meta.setAll(original);
    }
    meta.put("progressToken", token);
    copy.set("_meta", meta);
    return copy;
  }

  @Override
  public void onMessage(ObjectNode message, JsonNode relatedRequestId) {
    JsonRpc.Kind kind;
    try {
      kind = JsonRpc.classify(message);
    } catch (McpError e) {
      log.warn("backend={} sent an invalid JSON-RPC message ({}): {}", backend, e.getMessage(), Snippet.of(message));
      return;
    }
    switch (kind) {
      case RESPONSE -> onResponse(message);
      case NOTIFICATION -> onNotification(message, relatedRequestId);
      case REQUEST -> onRequest(message, relatedRequestId);
    }
  }

  private void onResponse(ObjectNode message) {
    Long id = asLong(message.get("id"));
    Pending call = id == null ? null : pending.get(id);
    if (call == null) {
      log.debug("backend={} answered unknown or cancelled request id {}", backend, message.get("id"));
      return;
    }
    JsonNode error = message.get("error");
    if (error != null) {
      call.finish(McpError.fromJson(error));
    } else {
      JsonNode result = message.get("result");
      call.finish(result == null ? Json.object() : result);
    }
  }

  private void onNotification(ObjectNode message, JsonNode relatedRequestId) {
    if (Methods.PROGRESS.equals(JsonRpc.method(message))) {
      ObjectNode params = JsonRpc.params(message);
      JsonNode token = params.get("progressToken");
      Pending call = token == null ? null : byProgressToken.get(token.asText());
      if (call == null) {
        log.debug("backend={} sent progress for unknown token {}", backend, token);
        return;
      }
      call.lastActivityNanos = System.nanoTime();
      ObjectNode forwarded = params.deepCopy();
      forwarded.set("progressToken", call.context.progressToken());
      call.context.notifyClient(JsonRpc.notification(Methods.PROGRESS, forwarded));
      return;
    }
    handler.onNotification(message, related(relatedRequestId));
  }

  private void onRequest(ObjectNode request, JsonNode relatedRequestId) {
    CallContext related = related(relatedRequestId);
    Thread.ofVirtual().name("backend-" + backend + "-request").start(() -> {
      ObjectNode response;
      try {
        response = JsonRpc.result(request.get("id"), handler.onRequest(request, related));
      } catch (McpError e) {
        response = JsonRpc.error(request.get("id"), e);
      } catch (RuntimeException e) {
        log.warn("backend={} request {} failed in the hub", backend, JsonRpc.method(request), e);
        response = JsonRpc.error(request.get("id"), McpError.internal(e.toString()));
      }
      try {
        transport.send(response);
      } catch (IOException e) {
        log.debug("backend={} could not be answered: {}", backend, e.toString());
      }
    });
  }

  private CallContext related(JsonNode relatedRequestId) {
    Long id = asLong(relatedRequestId);
    Pending call = id == null ? null : pending.get(id);
    return call == null ? null : call.context;
  }

  private static Long asLong(JsonNode id) {
    if (id == null) {
      return null;
    }
    if (id.isIntegralNumber()) {
      return id.longValue();
    }
    if (id instanceof TextNode text) {
      try {
        return Long.parseLong(text.textValue());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  @Override
  public void onClosed(String reason) {
    synchronized (this) {
      if (closeReason != null) {
        return;
      }
      closeReason = reason;
    }
    for (Pending call : new ArrayList<>(pending.values())) {
      call.finish(McpError.backendUnavailable("Backend '" + backend + "' " + reason + " during " + call.method));
    }
    closed.countDown();
  }

  /** Ends the transport (and its process); pending calls fail as the transport reports its end. */
  void close() {
    transport.close();
    onClosed("was stopped");
  }

  /** Ends the connection for a reason of the hub's (a hung backend): pending calls fail with it, then the transport ends. */
  void closeWith(String reason) {
    onClosed(reason);
    transport.close();
  }

  /** One request awaiting its answer; finished exactly once (answer, error, deadline, cancellation, end). */
  private final class Pending {
    final long id;
    final String method;
    final CallContext context;
    final long timeoutNanos;
    final Duration maxTimeout;
    final long hardDeadline;
    final CompletableFuture<JsonNode> result = new CompletableFuture<>();
    volatile long lastActivityNanos = System.nanoTime();
    String backendToken;
    volatile Runnable removeHook;
    private Deadlines.Deadline timer;

    Pending(long id, String method, CallContext context, long timeoutNanos, Duration maxTimeout) {
      this.id = id;
      this.method = method;
      this.context = context;
      this.timeoutNanos = timeoutNanos;
      this.maxTimeout = maxTimeout;
      this.hardDeadline = lastActivityNanos + maxTimeout.toNanos();
    }

    long deadline() {
      return Math.min(lastActivityNanos + timeoutNanos, hardDeadline);
    }

    synchronized void armDeadline() {
      if (!result.isDone()) {
        timer = Deadlines.at(deadline(), () -> checkDeadline(this));
      }
    }

    /** Forgets the call, then completes it: the id is free before anything chained runs. */
    void finish(Object outcome) {
      if (!pending.remove(id, this)) {
        return;
      }
      if (backendToken != null) {
        byProgressToken.remove(backendToken, this);
      }
      synchronized (this) {
        if (timer != null) {
          timer.cancel();
        }
      }
      if (removeHook != null) {
        removeHook.run();
      }
      if (outcome instanceof McpError error) {
        result.completeExceptionally(error);
      } else {
        result.complete((JsonNode) outcome);
      }
    }
  }
}
