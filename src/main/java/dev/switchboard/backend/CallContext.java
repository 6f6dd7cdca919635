package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What one client request carries into a backend call: where the call's progress and log
 * notifications go (already in the client's terms), the client's progress token, and cancellation.
 * Created by the session per client request; thread-safe.
 */
public final class CallContext {
  private final JsonNode progressToken;
  private final Consumer<ObjectNode> notifications;
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
  private volatile String cancelReason;

  /**
   * @param progressToken the client's {@code _meta.progressToken}, or null
   * @param notifications receives notifications for the client (progress with the client's token, logs)
   */
  public CallContext(JsonNode progressToken, Consumer<ObjectNode> notifications) {
    this.progressToken = progressToken;
    this.notifications = notifications;
  }

  /** A context for the hub's own requests: no progress, notifications dropped. */
  public static CallContext internal() {
    return new CallContext(null, message -> {});
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
