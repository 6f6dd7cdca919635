package dev.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The caching hints of a cacheable stateless-era result ({@code ttlMs}, {@code cacheScope}): how long a
 * client may keep it, and whether shared caches may keep it across principals. Combining two hints
 * keeps the shorter time and the narrower scope.
 *
 * @param ttlMs freshness in milliseconds, {@code >= 0}
 * @param privateScope true for {@code "private"} (one authorization context), false for {@code "public"}
 */
public record CacheHint(long ttlMs, boolean privateScope) {
  public static final String PUBLIC = "public";
  public static final String PRIVATE = "private";

  public CacheHint {
    if (ttlMs < 0) {
      throw new IllegalArgumentException("ttlMs must be >= 0, got " + ttlMs);
    }
  }

  /** The hints a result carries, or null when it carries neither (a handshake-era server's result). */
  public static CacheHint of(JsonNode result) {
    if (result == null || !(result.has("ttlMs") || result.has("cacheScope"))) {
      return null;
    }
    JsonNode ttl = result.get("ttlMs");
    long ms = ttl != null && ttl.isNumber() ? Math.max(0, ttl.longValue()) : 0; // absent or negative reads as 0
    return new CacheHint(ms, PRIVATE.equals(result.path("cacheScope").asText()));
  }

  /** The stricter of two hints (either may be null). */
  public CacheHint and(CacheHint other) {
    if (other == null) {
      return this;
    }
    return new CacheHint(Math.min(ttlMs, other.ttlMs), privateScope || other.privateScope);
  }

  public String scope() {
    return privateScope ? PRIVATE : PUBLIC;
  }

  /** Sets {@code ttlMs} and {@code cacheScope} on a result object. */
  public void applyTo(ObjectNode result) {
    result.put("ttlMs", ttlMs);
    result.put("cacheScope", scope());
  }
}
