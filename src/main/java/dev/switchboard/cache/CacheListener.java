package dev.switchboard.cache;

/**
 * Events of the result cache, per exposed tool name, for counters and metrics (as OkHttp's
 * EventListener: the cache reports, listeners count). Called on request and backend threads; must
 * not block.
 */
public interface CacheListener {
  /** Answered from the store. */
  void hit(String tool);

  /** Answered by a concurrent identical call's backend call (single-flight), not by its own. */
  void collapsed(String tool);

  /** Not in the store: the call went to the backend. */
  void miss(String tool);

  /** The store was unavailable (down, slow): the call went to the backend without the cache. */
  void bypass(String tool);

  /** A result that was not stored: an error, input_required, ttlMs 0, or a private result of a shared tool. */
  void notStored(String tool);

  /** An entry removed to keep the store within {@code cache.max_size}. */
  void evicted(String tool);

  /** An entry removed because its TTL passed (where the store tells). */
  void expired(String tool);

  CacheListener NONE = new CacheListener() {
    @Override public void hit(String tool) {}
    @Override public void collapsed(String tool) {}
    @Override public void miss(String tool) {}
    @Override public void bypass(String tool) {}
    @Override public void notStored(String tool) {}
    @Override public void evicted(String tool) {}
    @Override public void expired(String tool) {}
  };
}
