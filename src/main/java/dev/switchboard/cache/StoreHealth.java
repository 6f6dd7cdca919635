package dev.switchboard.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a remote store is usable: {@code CONNECTING} (at start, until it first answers), {@code UP}
 * or {@code DOWN}. An outage is logged once when it starts (not per call) and once when it ends,
 * with how long it lasted and how many calls bypassed the cache. Thread-safe.
 */
final class StoreHealth {
  enum State { CONNECTING, UP, DOWN }

  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

  private final String store;
  private final InstantSource clock;
  private final LongAdder bypassed = new LongAdder();
  private volatile State state = State.CONNECTING;
  private volatile String reason = "connecting";
  private volatile Instant since;

  StoreHealth(String store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
    this.since = clock.instant();
  }

  boolean up() {
    return state == State.UP;
  }

  State state() {
    return state;
  }

  /** Why it is not up (null when up). */
  String reason() {
    return reason;
  }

  /** When the current state began. */
  Instant since() {
    return since;
  }

  /** A call went to the backend because the store is not up (counted for the recovery line). */
  void bypassed() {
    bypassed.increment();
  }

  /** The store failed an operation: the first failure of an outage is logged, later ones are not. */
  void failed(String why) {
    if (state == State.DOWN) {
      return;
    }
    synchronized (this) {
      if (state == State.DOWN) {
        return;
      }
      boolean starting = state == State.CONNECTING;
      state = State.DOWN;
      reason = why;
      since = clock.instant();
      bypassed.reset();
      log.warn("cache store {} is unreachable{} ({}); tools/call bypasses the cache until it is back", store,
          starting ? " at start" : "", why);
    }
  }

  /** The store answered: ends an outage (logged) or the first connection (not logged). */
  void succeeded() {
    if (state == State.UP) {
      return;
    }
    synchronized (this) {
      if (state == State.UP) {
        return;
      }
      boolean outage = state == State.DOWN;
      String was = reason;
      Instant start = since;
      state = State.UP;
      reason = null;
      since = clock.instant();
      if (outage) {
        log.info("cache store {} is back after {} ms ({} call(s) bypassed the cache; the outage: {})", store,
            Duration.between(start, since).toMillis(), bypassed.sum(), was);
      } else {
        log.info("cache store {} connected", store);
      }
    }
  }
}
