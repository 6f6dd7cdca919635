package dev.switchboard.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.CallContext;
import dev.switchboard.jsonrpc.McpError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Single-flight: the calls in progress per key, so concurrent identical calls make one backend
 * call (the first caller, the leader, makes it; the others follow and get its outcome). Thread-safe.
 */
public final class Flights {
  /**
   * How a flight ended: a stored entry (the leader found one), or the leader's own result or error.
   *
   * @param entry the stored entry the leader found, or null
   * @param result the backend's result, or null
   * @param error the backend's error, or null
   * @param atMillis when the result arrived
   * @param shareable whether the result may reach another principal (false for {@code cacheScope: private})
   */
  public record Outcome(CachedResult entry, ObjectNode result, McpError error, long atMillis, boolean shareable) {}

  /** One call in progress. */
  public final class Flight {
    private final CacheKey key;
    private final Principal leader;
    private final CallContext leaderContext;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    private Flight(CacheKey key, Principal leader, CallContext leaderContext) {
      this.key = key;
      this.leader = leader;
      this.leaderContext = leaderContext;
    }

    /** Completes once, never exceptionally (an error is part of the outcome). */
    public CompletableFuture<Outcome> outcome() {
      return outcome;
    }

    /**
     * Whether the outcome may answer a follower: not when the leader's client cancelled (the error
     * is the leader's, not the call's), nor a result only for its principal for another one.
     */
    public boolean serves(Outcome done, Principal follower) {
      if (done.error() != null && leaderContext.isCancelled()) {
        return false;
      }
      return done.shareable() || CacheKey.scopeOf(leader).equals(CacheKey.scopeOf(follower));
    }

    /** Ends the flight: later identical calls start their own; followers get {@code done}. */
    public void finish(Outcome done) {
      running.remove(key, this);
      outcome.complete(done);
    }
  }

  private final ConcurrentMap<CacheKey, Flight> running = new ConcurrentHashMap<>();

  /** A caller's place in a flight: the leader makes the backend call, followers wait for its outcome. */
  public record Joined(Flight flight, boolean leader) {}

  /** Joins the flight in progress for {@code key}, or starts one and leads it. */
  public Joined join(CacheKey key, Principal principal, CallContext context) {
    Flight mine = new Flight(key, principal, context);
    Flight current = running.putIfAbsent(key, mine);
    return current == null ? new Joined(mine, true) : new Joined(current, false);
  }

  /** Calls in progress (for tests and stats). */
  public int size() {
    return running.size();
  }
}
