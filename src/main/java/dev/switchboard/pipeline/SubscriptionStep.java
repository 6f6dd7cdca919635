package dev.switchboard.pipeline;

import dev.switchboard.jsonrpc.Json;
import dev.switchboard.protocol.Methods;

/**
 * resources/subscribe and unsubscribe of handshake-era sessions, answered here: the session is
 * added to or removed from the URI's subscribers, and when a URI gains its first subscriber or
 * loses its last, the hub reconciles what each backend watches (the same declarative set the
 * stateless era's listen streams feed, re-applied after every backend restart).
 */
public final class SubscriptionStep implements Step {
  private final Subscriptions subscriptions;
  private final Runnable watchedChanged;

  public SubscriptionStep(Subscriptions subscriptions, Runnable watchedChanged) {
    this.subscriptions = subscriptions;
    this.watchedChanged = watchedChanged;
  }

  @Override
  public Reply handle(Request request, Chain chain) {
    Object owner = request.context().owner();
    String uri = request.target();
    if (Methods.RESOURCES_SUBSCRIBE.equals(request.method())) {
      if (subscriptions.add(uri, owner)) {
        watchedChanged.run();
      }
      return Reply.of(Json.object());
    }
    if (Methods.RESOURCES_UNSUBSCRIBE.equals(request.method())) {
      if (subscriptions.remove(uri, owner)) {
        watchedChanged.run();
      }
      return Reply.of(Json.object());
    }
    return chain.proceed(request);
  }
}
