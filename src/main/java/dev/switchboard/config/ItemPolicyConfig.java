package dev.switchboard.config;

import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code tools:} or {@code resources:}, keyed by an exposed name, URI, or glob
 * ({@code *} any run of characters, {@code ?} one character).
 *
 * @param requires capabilities a principal must hold to see and use matching items
 * @param cache how long results of a matching tool are cached; null = not set here
 * @param cacheScope PRINCIPAL (default: entries per principal) or SHARED (one entry for all principals)
 */
public record ItemPolicyConfig(String pattern, List<String> requires, Duration cache, CacheScope cacheScope,
    Position position) {
  public enum CacheScope { PRINCIPAL, SHARED }

  public ItemPolicyConfig {
    requires = requires == null ? List.of() : List.copyOf(requires);
    cacheScope = cacheScope == null ? CacheScope.PRINCIPAL : cacheScope;
  }
}
