package dev.switchboard.config;

import java.net.URI;
import java.time.Duration;

/**
 * The result cache ({@code cache:}).
 *
 * @param defaultTtl TTL for tools marked readOnlyHint without their own entry; null = unset (only listed tools are cached)
 * @param redis the Redis store's URI ({@code store: redis://HOST:PORT}); null = in-memory store
 * @param maxBytes bound of the in-memory store by total weight ({@code max_size}, default 64 MiB)
 * @param storeTimeout deadline of one store operation before the call bypasses the cache ({@code store_timeout}, 50ms)
 */
public record CacheConfig(Duration defaultTtl, URI redis, long maxBytes, Duration storeTimeout) {
  public static final CacheConfig DEFAULT = new CacheConfig(null, null, 64L * 1024 * 1024, Duration.ofMillis(50));
}
