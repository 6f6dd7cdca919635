package dev.switchboard.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Access;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.Methods;
import dev.switchboard.session.RequestMeta;
import dev.switchboard.session.StatelessServer;
import dev.switchboard.session.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateless era on the stdio front: a request with a protocol version in its {@code _meta} (or
 * {@code server/discover}, {@code subscriptions/listen}) is served on its own, with no
 * {@code initialize}, next to a handshake-era session on the same stream. Everything shares stdout;
 * listen streams' notifications carry their subscription id. {@code notifications/cancelled} cancels a
 * request or ends a subscription by id.
 */
final class StdioStateless {
  private static final Logger log = LoggerFactory.getLogger(StdioStateless.class);

  private final StatelessServer server;
  /** The stdio client's principal now (a config reload may change it). */
  private final Supplier<Principal> principal;
  private final Consumer<ObjectNode> out;
  /** Requests being served and open subscriptions, by the JSON text of their id. */
  private final Map<String, Runnable> inFlight = new ConcurrentHashMap<>();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

  StdioStateless(StatelessServer server, Supplier<Principal> principal, Consumer<ObjectNode> out) {
    this.server = server;
    this.principal = principal;
    this.out = out;
  }

  /** Takes a message if it belongs to the stateless era; false leaves it to the handshake-era session. */
  boolean receive(JsonNode message) {
    if (!(message instanceof ObjectNode object) || !message.has("method")) {
      return false;
    }
    if (!message.has("id")) {
      return Methods.CANCELLED.equals(JsonRpc.method(message)) && cancel(JsonRpc.params(message).get("requestId"));
    }
    if (!RequestMeta.isStateless(object)) {
      return false;
    }
    try {
      JsonRpc.classify(object);
    } catch (McpError e) {
      return false; // the session answers envelope errors the same way for both eras
    }
    serve(object);
    return true;
  }

  private void serve(ObjectNode request) {
    JsonNode id = request.get("id");
    String key = JsonRpc.idKey(id);
    RequestMeta meta;
    try {
      meta = RequestMeta.of(JsonRpc.params(request));
      server.checkVersion(meta);
    } catch (McpError e) {
      out.accept(JsonRpc.error(id, e));
      return;
    }
    if (inFlight.containsKey(key) || subscriptions.containsKey(key)) {
      out.accept(JsonRpc.error(id, McpError.invalidRequest("request id " + id + " is already in use")));
      return;
    }
    if (Methods.SUBSCRIPTIONS_LISTEN.equals(JsonRpc.method(request))) {
      try {
        // The stream follows stdio.user across reloads, as the stdio session does.
        Subscription subscription = server.listen(principal.get(), Access::stdioPrincipal, request, meta, out);
        subscriptions.put(key, subscription);
      } catch (McpError e) {
        out.accept(JsonRpc.error(id, e));
      }
      return;
    }
    Runnable[] cancel = new Runnable[1];
    inFlight.put(key, () -> {
      if (cancel[0] != null) {
        cancel[0].run();
      }
    });
    cancel[0] = server.serve(principal.get(), request, meta, out, response -> {
      if (response != null) {
        out.accept(response);
      }
      synchronized (inFlight) {
        inFlight.remove(key);
        inFlight.notifyAll();
      }
    });
  }

  /** Cancels a request or ends a subscription of this era; false when the id is not one of them. */
  private boolean cancel(JsonNode requestId) {
    if (requestId == null) {
      return false;
    }
    String key = JsonRpc.idKey(requestId);
    Subscription subscription = subscriptions.remove(key);
    if (subscription != null) {
      log.debug("subscription {} cancelled by the client", requestId);
      subscription.cancel();
      return true;
    }
    Runnable cancel = inFlight.get(key);
    if (cancel != null) {
      log.debug("stateless request {} cancelled by the client", requestId);
      cancel.run();
      return true;
    }
    return false;
  }

  /** Waits until the requests in flight are answered; false at the deadline. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inFlight) {
      while (!inFlight.isEmpty()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(inFlight, remaining);
      }
    }
    return true;
  }

  /** The client is gone: cancels what is in flight and ends the subscriptions. */
  void close() {
    List.copyOf(inFlight.values()).forEach(Runnable::run);
    List.copyOf(subscriptions.values()).forEach(Subscription::cancel);
    subscriptions.clear();
  }
}
