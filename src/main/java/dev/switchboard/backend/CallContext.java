package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.McpError;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What one client request carries into a backend call: where the call's progress and log
 * notifications go (already in the client's terms), the client's progress token, how to ask that
 * client something (sampling, elicitation, roots) while the call runs, and cancellation. Created by
 * the session per client request; thread-safe.
 */
public final class CallContext {
  /** Sends a request to the client that made the call; the future completes with its answer. */
  public interface ClientRequests {
    CompletableFuture<JsonNode> request(String method, ObjectNode params);
  }

  private static final ClientRequests NO_CLIENT = (method, params) -> CompletableFuture.failedFuture(
      new McpError(McpError.METHOD_NOT_FOUND, "Method not found: " + method + " (no client is waiting on this request)"));

  private final Object owner;
  private final JsonNode progressToken;
  private final Consumer<ObjectNode> notifications;
  private final ClientRequests clientRequests;
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
  private volatile String cancelReason;

  /**
   * @param owner who made the call (the session): calls of one owner may share a client request
   * @param progressToken the client's {@code _meta.progressToken}, or null
   * @param notifications receives notifications for the client (progress with the client's token, logs)
   * @param clientRequests asks the client something on the call's behalf
   */
  public CallContext(Object owner, JsonNode progressToken, Consumer<ObjectNode> notifications, ClientRequests clientRequests) {
    this.owner = owner;
    this.progressToken = progressToken;
    this.notifications = notifications;
    this.clientRequests = clientRequests;
  }

  /** A context without a client to ask (tests, the hub's own calls). */
  public CallContext(JsonNode progressToken, Consumer<ObjectNode> notifications) {
    this(null, progressToken, notifications, NO_CLIENT);
  }

  /** A context for the hub's own requests: no progress, notifications dropped. */
  public static CallContext internal() {
    return new CallContext(null, message -> {});
  }

  public Object owner() {
    return owner;
  }

  /** Asks the client that made this call (sampling, elicitation, roots); ids are the session's concern. */
  public CompletableFuture<JsonNode> requestClient(String method, ObjectNode params) {
    return clientRequests.request(method, params);
  }

  public JsonNode progressToken() {
    return progressToken;
  }

  public void notifyClient(ObjectNode notification) {
    notifications.accept(notification);
  }

  public boolean isCancelled() {
    return cancelReason != null;
  }

  public String cancelReason() {
    return cancelReason;
  }

  /** Cancels the call: hooks run once, in the cancelling thread. */
  public void cancel(String reason) {
    synchronized (this) {
      if (cancelReason != null) {
        return;
      }
      cancelReason = reason == null ? "cancelled" : reason;
    }
    for (Runnable hook : onCancel) {
      hook.run();
    }
  }

  /** Runs {@code hook} on cancellation (at once when already cancelled); returns a handle to remove it. */
  public Runnable onCancel(Runnable hook) {
    onCancel.add(hook);
    if (isCancelled() && onCancel.remove(hook)) {
      hook.run();
    }
    return () -> onCancel.remove(hook);
  }
}
