package dev.switchboard.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.switchboard.jsonrpc.Json;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The in-memory store ({@code cache.store: memory}): Caffeine, bounded by total weight (the JSON
 * size of the results, {@code cache.max_size}), each entry expiring at its own time, on the hub's
 * clock. Never unavailable.
 */
final class MemoryStore implements CacheStore {
  /** What an entry costs besides its JSON: the key, the tree's objects (a rough, fixed estimate). */
  private static final int OVERHEAD = 256;

  private final Cache<CacheKey, CachedResult> cache;
  private final long maxBytes;
  private final InstantSource clock;

  MemoryStore(long maxBytes, InstantSource clock, CacheListener listener) {
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((CacheKey key, CachedResult entry) -> (int) Math.min(Integer.MAX_VALUE, (long) entry.size() + OVERHEAD))
        .expireAfter(new Expiry<CacheKey, CachedResult>() {
          @Override
          public long expireAfterCreate(CacheKey key, CachedResult entry, long now) {
            return remainingNanos(entry);
          }

          @Override
          public long expireAfterUpdate(CacheKey key, CachedResult entry, long now, long current) {
            return remainingNanos(entry);
          }

          @Override
          public long expireAfterRead(CacheKey key, CachedResult entry, long now, long current) {
            return current;
          }
        })
        .ticker(() -> nanos(clock))
        // Maintenance on the calling thread: no pool threads, and counts that tests can await.
        .executor(Runnable::run)
        .evictionListener((CacheKey key, CachedResult entry, RemovalCause cause) -> {
          if (key != null && cause == RemovalCause.SIZE) {
            listener.evicted(key.tool());
          } else if (key != null && cause == RemovalCause.EXPIRED) {
            listener.expired(key.tool());
          }
        })
        .build();
  }

  private long remainingNanos(CachedResult entry) {
    return Math.max(0, entry.expiresAtMillis() - clock.millis()) * 1_000_000L;
  }

  private static long nanos(InstantSource clock) {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public CachedResult get(CacheKey key) {
    CachedResult entry = cache.getIfPresent(key);
    // Caffeine's own expiry may lag by a tick; the entry's time is the rule.
    return entry == null || entry.expiresAtMillis() <= clock.millis() ? null : entry;
  }

  @Override
  public void put(CacheKey key, byte[] json, long storedAtMillis, long expiresAtMillis) {
    // Parsed from the bytes: the store's own tree, which nothing else holds or mutates.
    cache.put(key, new CachedResult(CacheStore.parse(json), json.length, storedAtMillis, expiresAtMillis));
  }

  @Override
  public long dropServer(String server, long storedUpToMillis) {
    long count = 0;
    for (var entry : cache.asMap().entrySet()) {
      if (entry.getKey().server().equals(server) && entry.getValue().storedAtMillis() <= storedUpToMillis
          && cache.asMap().remove(entry.getKey(), entry.getValue())) {
        count++;
      }
    }
    return count;
  }

  @Override
  public long dropTool(String tool) {
    return drop(key -> key.tool().equals(tool));
  }

  @Override
  public long dropAll() {
    long count = cache.estimatedSize();
    cache.invalidateAll();
    return count;
  }

  private long drop(Predicate<CacheKey> which) {
    long count = 0;
    for (CacheKey key : cache.asMap().keySet()) {
      if (which.test(key) && cache.asMap().remove(key) != null) {
        count++;
      }
    }
    return count;
  }

  @Override
  public CompletableFuture<Boolean> check() {
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public ObjectNode describe() {
    ObjectNode json = Json.object();
    json.put("status", "up");
    json.put("store", "memory");
    json.put("entries", cache.estimatedSize());
    json.put("sizeBytes", cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L));
    json.put("maxSizeBytes", maxBytes);
    return json;
  }

  /** Runs pending maintenance (evictions, expirations) now; for tests and stats. */
  void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }
}
