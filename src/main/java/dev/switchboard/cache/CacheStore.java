package dev.switchboard.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * Where cached results live: in this process ({@link MemoryStore}) or in Redis ({@link RedisStore}).
 * Every operation has a deadline ({@code cache.store_timeout}); a store that cannot answer in time
 * throws {@link StoreUnavailableException} and the call goes to the backend instead.
 */
interface CacheStore extends AutoCloseable {
  /** The entry, or null on a miss or when it has expired. */
  CachedResult get(CacheKey key) throws StoreUnavailableException;

  /**
   * Stores a result (written as JSON) until {@code expiresAtMillis}. Must not block: it runs on the
   * thread that delivers the backend's answer. Failures are the store's to report (to its health),
   * not the caller's.
   */
  void put(CacheKey key, byte[] json, long storedAtMillis, long expiresAtMillis);

  /**
   * Drops the entries of one server stored at or before {@code storedUpToMillis} (the drop runs on
   * a thread of its own and must not take results stored after it); a store that cannot tell when
   * an entry was stored drops them all. Returns how many, or -1 when the store cannot tell.
   */
  long dropServer(String server, long storedUpToMillis) throws StoreUnavailableException;

  /** Drops the entries of one exposed tool name; returns how many, or -1 when the store cannot tell. */
  long dropTool(String tool) throws StoreUnavailableException;

  /** Drops every entry of this hub's cache; returns how many, or -1 when the store cannot tell. */
  long dropAll() throws StoreUnavailableException;

  /** Checks the store without waiting past its deadline; completes with whether it answered. */
  CompletableFuture<Boolean> check();

  /** The store's part of /health and /admin/stats: status, what it is, entries where known. */
  ObjectNode describe();

  /** Whether the store can be used now (false while an outage lasts); the memory store always can. */
  boolean available();

  @Override
  void close();

  static ObjectNode parse(byte[] json) {
    return (ObjectNode) dev.switchboard.jsonrpc.Json.parse(json, 0, json.length);
  }
}
