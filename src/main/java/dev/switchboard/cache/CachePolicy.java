package dev.switchboard.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Glob;
import dev.switchboard.config.ItemPolicyConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which tools are cached, for how long, and in which scope. Only tools that opt in are cached:
 * <ul>
 *   <li>a {@code tools} entry with {@code cache: DURATION}: the exact name's entry first, else the
 *       first glob (in file order) that matches and sets {@code cache}; {@code cache: 0s} opts out;</li>
 *   <li>else {@code cache.default_ttl}, for tools whose backend marks them
 *       {@code annotations.readOnlyHint: true}.</li>
 * </ul>
 * A tool marked {@code destructiveHint: true} is cached only by an entry with its exact name (a
 * glob or the default never catches it). {@code cache_scope} comes from the entry that set
 * {@code cache}, or for a tool cached by the default, from its exact or first matching entry.
 * Thread-safe and immutable.
 */
public final class CachePolicy {
  /**
   * How a tool is cached.
   *
   * @param ttl how long a result stays (before the result's own {@code ttlMs} may shorten it)
   * @param shared one entry for every principal ({@code cache_scope: shared}) instead of one per principal
   */
  public record Rule(Duration ttl, boolean shared) {}

  private record Entry(ItemPolicyConfig config, Pattern glob) {
    boolean matches(String tool) {
      return glob == null ? config.pattern().equals(tool) : glob.matcher(tool).matches();
    }
  }

  private final List<Entry> exact = new ArrayList<>();
  private final List<Entry> globs = new ArrayList<>();
  private final Duration defaultTtl;

  public CachePolicy(Map<String, ItemPolicyConfig> tools, Duration defaultTtl) {
    for (ItemPolicyConfig item : tools.values()) {
      boolean glob = item.pattern().contains("*") || item.pattern().contains("?");
      (glob ? globs : exact).add(new Entry(item, glob ? Glob.of(item.pattern()).regex() : null));
    }
    this.defaultTtl = defaultTtl == null || defaultTtl.isZero() || defaultTtl.isNegative() ? null : defaultTtl;
  }

  /** Whether any tool can be cached at all (some entry sets {@code cache}, or a default is set). */
  public boolean enabled() {
    return defaultTtl != null || exact.stream().anyMatch(e -> positive(e.config().cache()))
        || globs.stream().anyMatch(e -> positive(e.config().cache()));
  }

  /**
   * The rule for a tool, or null when its results are not cached.
   *
   * @param definition the tool as listed by its backend (for its annotations), or null when the
   *     catalog does not list it (a call routed to the {@code default: true} server)
   */
  public Rule rule(String tool, ObjectNode definition) {
    JsonNode annotations = definition == null ? null : definition.get("annotations");
    boolean destructive = hint(annotations, "destructiveHint");
    Entry named = find(exact, tool, false);
    if (named != null && named.config().cache() != null) {
      return rule(named.config().cache(), named.config());
    }
    if (destructive) {
      return null;
    }
    Entry glob = find(globs, tool, true);
    if (glob != null) {
      return rule(glob.config().cache(), glob.config());
    }
    if (defaultTtl != null && hint(annotations, "readOnlyHint")) {
      Entry scope = named != null ? named : find(globs, tool, false);
      return rule(defaultTtl, scope == null ? null : scope.config());
    }
    return null;
  }

  private static Rule rule(Duration ttl, ItemPolicyConfig scope) {
    if (!positive(ttl)) {
      return null;
    }
    return new Rule(ttl, scope != null && scope.cacheScope() == ItemPolicyConfig.CacheScope.SHARED);
  }

  private static Entry find(List<Entry> entries, String tool, boolean withCache) {
    for (Entry entry : entries) {
      if (entry.matches(tool) && (!withCache || entry.config().cache() != null)) {
        return entry;
      }
    }
    return null;
  }

  private static boolean hint(JsonNode annotations, String name) {
    return annotations != null && annotations.path(name).asBoolean(false) && annotations.get(name).isBoolean();
  }

  private static boolean positive(Duration ttl) {
    return ttl != null && !ttl.isZero() && !ttl.isNegative();
  }

}
