package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.backend.ListKind;
import dev.switchboard.cache.CacheKey;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.cache.Flights;
import dev.switchboard.cache.ResultCache;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.jsonrpc.Futures;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.Methods;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Answers tools/call from the result cache when it can, and stores what the backend answers.
 * Runs after routing (it needs the server, for dropping a backend's entries) and right before the
 * backend call; it reads only the route, the principal, the tool name and the arguments, so steps
 * placed before it (authorization) are not affected by it, and a refused call never reaches it.
 *
 * <p>Concurrent identical calls (same key) collapse into one backend call: the first caller leads,
 * the others follow and get its outcome, marked as a hit. A follower makes its own call instead
 * when the leader's client cancelled, or when the result is private to the leader's principal.
 * Calls of tools that do not opt in pass through untouched.
 */
public final class CacheStep implements Step {
  private final ResultCache cache;
  private final Supplier<CatalogSnapshot> catalog;

  public CacheStep(ResultCache cache, Supplier<CatalogSnapshot> catalog) {
    this.cache = cache;
    this.catalog = catalog;
  }

  @Override
  public Reply handle(Request request, Chain chain) {
    if (!cache.enabled() || !Methods.TOOLS_CALL.equals(request.method()) || request.route() == null) {
      return chain.proceed(request);
    }
    CatalogEntry entry = request.route().viaDefault() ? null : catalog.get().find(ListKind.TOOLS, request.target());
    CachePolicy.Rule rule = cache.rule(request.target(), entry == null ? null : entry.definition(), request.params());
    if (rule == null) {
      return chain.proceed(request);
    }
    CacheKey key = CacheKey.ofCanonical(request.route().server(), request.target(), request.canonicalArguments(),
        rule.shared() ? CacheKey.SHARED : CacheKey.scopeOf(request.principal()));
    Flights.Joined joined = cache.flights().join(key, request.principal(), request.context());
    return joined.leader()
        ? lead(joined.flight(), key, rule, request, chain)
        : follow(joined.flight(), key, rule, request, chain);
  }

  /** Looks the key up; on a miss (or a bypass) calls the backend and stores its result. */
  private Reply lead(Flights.Flight flight, CacheKey key, CachePolicy.Rule rule, Request request, Chain chain) {
    ResultCache.Lookup found;
    try {
      found = cache.lookup(key);
    } catch (RuntimeException e) {
      flight.finish(new Flights.Outcome(null, null, McpError.internal("cache lookup failed"), now(), true));
      throw e;
    }
    if (found instanceof ResultCache.Lookup.Hit hit) {
      flight.finish(new Flights.Outcome(hit.entry(), null, null, now(), true));
      return Reply.of(cache.answer(hit.entry()));
    }
    boolean bypass = found instanceof ResultCache.Lookup.Bypass;
    return call(key, rule, request, chain, bypass, flight);
  }

  /** The backend call; its outcome is stored (unless bypassing) and handed to the flight's followers. */
  private Reply call(CacheKey key, CachePolicy.Rule rule, Request request, Chain chain, boolean bypass,
      Flights.Flight flight) {
    long epoch = cache.epoch();
    Reply reply;
    try {
      reply = chain.proceed(request);
    } catch (RuntimeException e) {
      if (flight != null) {
        flight.finish(new Flights.Outcome(null, null, e instanceof McpError m ? m : McpError.internal(
            "tools/call failed: " + e.getClass().getSimpleName()), now(), true));
      }
      throw e;
    }
    return reply.whenDone((result, error) -> {
      try {
        if (error == null && !bypass) {
          cache.store(key, result, rule, epoch);
        }
      } finally {
        if (flight != null) {
          boolean shareable = error != null || ResultCache.shareable(result);
          flight.finish(new Flights.Outcome(null, result instanceof ObjectNode o ? o : null, error, now(), shareable));
        }
      }
    });
  }

  /** Waits for the leader's outcome; makes its own call when that outcome is not for this caller. */
  private Reply follow(Flights.Flight flight, CacheKey key, CachePolicy.Rule rule, Request request, Chain chain) {
    CompletableFuture<JsonNode> mine = new CompletableFuture<>();
    Runnable unhook = request.context().onCancel(() -> mine.completeExceptionally(
        new McpError(McpError.REQUEST_TIMEOUT, "Request cancelled: " + request.context().cancelReason())));
    mine.whenComplete((value, failure) -> unhook.run());
    flight.outcome().thenAccept(done -> {
      if (mine.isDone()) {
        return;
      }
      if (!flight.serves(done, request.principal()) || (done.error() == null && done.result() == null && done.entry() == null)) {
        // On a thread of its own: the backend call may block on a busy backend's writer, and this
        // runs on the thread that delivered the leader's answer.
        Thread.ofVirtual().name("cache-own-call").start(() -> own(key, rule, request, chain, mine));
        return;
      }
      cache.events().collapsed(key.tool());
      if (done.error() != null) {
        mine.completeExceptionally(done.error());
      } else if (done.entry() != null) {
        mine.complete(cache.answer(done.entry()));
      } else {
        mine.complete(cache.answer(done.result(), done.atMillis()));
      }
    });
    return Reply.pending(mine);
  }

  /** A follower's own call, without joining a flight again: one more lookup, then the backend. */
  private void own(CacheKey key, CachePolicy.Rule rule, Request request, Chain chain, CompletableFuture<JsonNode> mine) {
    try {
      ResultCache.Lookup found = cache.lookup(key);
      Reply reply = found instanceof ResultCache.Lookup.Hit hit
          ? Reply.of(cache.answer(hit.entry()))
          : call(key, rule, request, chain, found instanceof ResultCache.Lookup.Bypass, null);
      reply.result().whenComplete((value, failure) -> {
        if (failure != null) {
          mine.completeExceptionally(Futures.unwrap(failure));
        } else {
          mine.complete(value);
        }
      });
    } catch (RuntimeException e) {
      mine.completeExceptionally(e instanceof McpError m ? m : McpError.internal("tools/call failed: " + e.getClass().getSimpleName()));
    }
  }

  private long now() {
    return cache.clock().millis();
  }
}
