package dev.switchboard.pipeline;

import dev.switchboard.jsonrpc.Json;
import dev.switchboard.protocol.Methods;

/**
 * resources/subscribe and unsubscribe: the backend hears about a URI once, from its first
 * subscriber, and is unsubscribed after the last one leaves; the others are answered here.
 */
public final class SubscriptionStep implements Step {
  private final Subscriptions subscriptions;

  public SubscriptionStep(Subscriptions subscriptions) {
    this.subscriptions = subscriptions;
  }

  @Override
  public Reply handle(Request request, Chain chain) {
    Object owner = request.context().owner();
    String uri = request.target();
    if (Methods.RESOURCES_SUBSCRIBE.equals(request.method())) {
      if (!subscriptions.add(uri, owner)) {
        return Reply.of(Json.object());
      }
      return chain.proceed(request).whenDone((result, error) -> {
        if (error != null) {
          subscriptions.remove(uri, owner); // the backend refused: nobody is subscribed after all
        }
      });
    }
    if (Methods.RESOURCES_UNSUBSCRIBE.equals(request.method()) && !subscriptions.remove(uri, owner)) {
      return Reply.of(Json.object()); // others still listen (or this one never did)
    }
    return chain.proceed(request);
  }
}
