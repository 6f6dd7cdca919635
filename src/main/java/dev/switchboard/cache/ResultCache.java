package dev.switchboard.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.CacheConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.jsonrpc.Json;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result cache of tools/call: the policy (which tools, how long, which scope), the store
 * (memory or Redis), the calls in flight (single-flight), the counters, and dropping entries (a
 * backend restarted or re-listed, or the admin asked). {@code CacheStep} uses it on the call path;
 * the hub and the admin endpoints use the rest. Thread-safe; owned and closed by the hub.
 */
public final class ResultCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultCache.class);
  /** The {@code _meta} key of a hit: {@code {"hit": true, "ageMs": N}}. */
  public static final String META_KEY = "dev.switchboard/cache";
  /** Exposed names the cache keys (the catalog's rule); other names (sent to a default server) are not cached. */
  private static final Pattern CACHEABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  /** tools/call params that do not change the result; any other (task, inputResponses, requestState…) bypasses. */
  private static final Set<String> PLAIN_PARAMS = Set.of("name", "arguments", "_meta");

  /** What the store had for a key. */
  public sealed interface Lookup {
    record Hit(CachedResult entry) implements Lookup {}

    record Miss() implements Lookup {}

    /** The store was unavailable: the call goes to the backend and its result is not stored. */
    record Bypass(String reason) implements Lookup {}
  }

  private static final Lookup MISS = new Lookup.Miss();

  private record Seen(long generation, Object listing) {}

  private record Memo(ObjectNode definition, CachePolicy.Rule rule) {}

  private volatile CachePolicy policy;
  private final CacheStore store;
  /** True when the config names a Redis store that was not connected because nothing could be cached. */
  private final boolean redisDeferred;
  private final InstantSource clock;
  private final Duration storeTimeout;
  private final CacheStats stats;
  private final Flights flights = new Flights();
  /** Bumped by every drop: a result whose call began before a drop is not stored. */
  private final AtomicLong epoch = new AtomicLong();
  /**
   * When entries were last dropped (all, per server, per tool): an entry stored before is a miss
   * from that moment on, here, even while the store is still deleting it (SCAN in Redis takes a
   * while, and is retried after an outage).
   */
  private volatile long allDroppedAt = Long.MIN_VALUE;
  private final Map<String, Long> serverDroppedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> toolDroppedAt = new ConcurrentHashMap<>();
  private final Map<String, Seen> backends = new ConcurrentHashMap<>();
  private final Map<String, Memo> rules = new ConcurrentHashMap<>();

  ResultCache(CachePolicy policy, CacheStore store, CacheStats stats, InstantSource clock, Duration storeTimeout) {
    this(policy, store, stats, clock, storeTimeout, false);
  }

  private ResultCache(CachePolicy policy, CacheStore store, CacheStats stats, InstantSource clock, Duration storeTimeout,
      boolean redisDeferred) {
    this.policy = policy;
    this.redisDeferred = redisDeferred;
    this.store = store;
    this.stats = stats;
    this.clock = clock;
    this.storeTimeout = storeTimeout;
  }

  /** The cache a config describes: memory (Caffeine) unless {@code cache.store} is a Redis URI. */
  public static ResultCache create(SwitchboardConfig config, InstantSource clock) {
    CacheConfig cache = config.cache() == null ? CacheConfig.DEFAULT : config.cache();
    CachePolicy policy = new CachePolicy(config.tools(), cache.defaultTtl());
    CacheStats stats = new CacheStats();
    // No store connection when nothing can be cached: a config with a Redis URI but no cached tool
    // does not need Redis to be up.
    CacheStore store = cache.redis() != null && policy.enabled()
        ? new RedisStore(cache.redis(), cache.storeTimeout(), clock)
        : new MemoryStore(cache.maxBytes(), clock, stats);
    return new ResultCache(policy, store, stats, clock, cache.storeTimeout(), cache.redis() != null && !policy.enabled());
  }

  /**
   * Takes the cache rules of a reloaded config ({@code tools.*.cache}, {@code cache_scope}); entries
   * already stored keep the TTL they were stored with. Refused (false, nothing changes) when the
   * rules would start caching on a Redis store the hub did not connect at start: that needs a restart.
   */
  public boolean reconfigure(CachePolicy next) {
    if (redisDeferred && next.enabled()) {
      return false;
    }
    policy = next;
    rules.clear();
    return true;
  }

  /** An in-memory cache with the given policy (tests, benchmarks). */
  public static ResultCache inMemory(CachePolicy policy, long maxBytes, InstantSource clock) {
    CacheStats stats = new CacheStats();
    return new ResultCache(policy, new MemoryStore(maxBytes, clock, stats), stats, clock, Duration.ofMillis(50));
  }

  /** Whether any tool can be cached; when not, the step passes every call on untouched. */
  public boolean enabled() {
    return policy.enabled();
  }

  public InstantSource clock() {
    return clock;
  }

  public Flights flights() {
    return flights;
  }

  public CacheListener events() {
    return stats;
  }

  public CacheStats stats() {
    return stats;
  }

  /**
   * The rule for a call, or null when it is not cached: the tool does not opt in, its name is not
   * an exposed name, or its params carry more than name, arguments and {@code _meta} (a task, or a
   * retry with {@code inputResponses}/{@code requestState}, whose result depends on more than the key).
   */
  public CachePolicy.Rule rule(String tool, ObjectNode definition, ObjectNode params) {
    for (var names = params.fieldNames(); names.hasNext(); ) {
      if (!PLAIN_PARAMS.contains(names.next())) {
        return null;
      }
    }
    JsonNode arguments = params.get("arguments");
    if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
      return null;
    }
    if (definition == null) {
      // Not in the catalog (sent to the default server): any name a client makes up, so not memoized.
      return CACHEABLE_NAME.matcher(tool).matches() ? policy.rule(tool, null) : null;
    }
    Memo memo = rules.get(tool);
    if (memo == null || memo.definition() != definition) {
      memo = new Memo(definition, CACHEABLE_NAME.matcher(tool).matches() ? policy.rule(tool, definition) : null);
      rules.put(tool, memo);
    }
    return memo.rule();
  }

  /** Looks a key up, counting a hit, a miss or a bypass. Blocks at most {@code store_timeout}. */
  public Lookup lookup(CacheKey key) {
    try {
      CachedResult entry = store.get(key);
      if (entry == null || droppedBefore(key, entry)) {
        stats.miss(key.tool());
        return MISS;
      }
      stats.hit(key.tool());
      return new Lookup.Hit(entry);
    } catch (StoreUnavailableException e) {
      stats.bypass(key.tool());
      return new Lookup.Bypass(e.getMessage());
    }
  }

  private boolean droppedBefore(CacheKey key, CachedResult entry) {
    long at = entry.storedAtMillis();
    // "<=": an entry of the drop's own millisecond may be from before it; at worst one more miss.
    return at <= allDroppedAt || at <= serverDroppedAt.getOrDefault(key.server(), Long.MIN_VALUE)
        || at <= toolDroppedAt.getOrDefault(key.tool(), Long.MIN_VALUE);
  }

  /** The drop epoch now; pass it to {@link #store} so a result older than a drop is not stored. */
  public long epoch() {
    return epoch.get();
  }

  /**
   * Stores a backend's result when it may be: not an error ({@code isError}), a complete result (no
   * other {@code resultType}), a {@code ttlMs} (if any) above 0 — the smaller of it and the tool's
   * TTL wins — and not {@code cacheScope: private} for a shared tool. Counts what is not stored.
   * Does not block.
   */
  public boolean store(CacheKey key, JsonNode result, CachePolicy.Rule rule, long epochAtStart) {
    Duration ttl = ttl(result, rule);
    if (ttl == null) {
      stats.notStored(key.tool());
      return false;
    }
    if (epochAtStart != epoch.get()) {
      return false; // entries were dropped while this call ran; its result may be from before
    }
    long now = clock.millis();
    try {
      store.put(key, Json.writeBytes(result), now, now + ttl.toMillis());
      return true;
    } catch (RuntimeException e) {
      log.warn("tool={} result not cached: {}", key.tool(), e.toString());
      return false;
    }
  }

  /** How long a result may be kept under a rule; null when it must not be. */
  static Duration ttl(JsonNode result, CachePolicy.Rule rule) {
    if (!(result instanceof ObjectNode object)) {
      return null;
    }
    if (object.path("isError").asBoolean(false)) {
      return null;
    }
    JsonNode type = object.get("resultType");
    if (type != null && !"complete".equals(type.asText())) {
      return null; // input_required, or a kind this hub does not know
    }
    Duration ttl = rule.ttl();
    JsonNode ttlMs = object.get("ttlMs");
    if (ttlMs != null) {
      if (!ttlMs.isIntegralNumber() || !ttlMs.canConvertToLong() || ttlMs.longValue() <= 0) {
        return null; // 0, negative or malformed: immediately stale
      }
      ttl = ttl.compareTo(Duration.ofMillis(ttlMs.longValue())) <= 0 ? ttl : Duration.ofMillis(ttlMs.longValue());
    }
    if (rule.shared() && !shareable(object)) {
      return null;
    }
    return ttl;
  }

  /** Whether a result may reach another principal: not when it says {@code cacheScope: private}. */
  public static boolean shareable(JsonNode result) {
    return !"private".equals(result.path("cacheScope").asText(null));
  }

  /**
   * What a client gets for a stored entry: a shallow copy of the result (the stored tree is never
   * changed) whose {@code _meta} gains {@code dev.switchboard/cache: {"hit": true, "ageMs": N}},
   * and whose {@code ttlMs}, if it has one, is what remains of it.
   */
  public ObjectNode answer(CachedResult entry) {
    long now = clock.millis();
    ObjectNode answer = hit(entry.result(), now - entry.storedAtMillis());
    if (answer.has("ttlMs")) {
      answer.put("ttlMs", Math.max(0, entry.expiresAtMillis() - now));
    }
    return answer;
  }

  /** What a follower gets for the leader's fresh result (same marks as a hit; the result is not changed). */
  public ObjectNode answer(ObjectNode result, long atMillis) {
    return hit(result, clock.millis() - atMillis);
  }

  private static ObjectNode hit(ObjectNode result, long ageMs) {
    ObjectNode answer = Json.object();
    answer.setAll(result);
    ObjectNode meta = Json.object();
    if (result.get("_meta") instanceof ObjectNode existing) {
      meta.setAll(existing);
    }
    meta.putObject(META_KEY).put("hit", true).put("ageMs", Math.max(0, ageMs));
    answer.set("_meta", meta);
    return answer;
  }

  /**
   * A backend changed: when it restarted (a new generation after an earlier one) or re-listed
   * within a generation (list_changed), its entries are dropped. A first start drops nothing, so
   * an instance that starts does not empty what others share through Redis.
   */
  public void backendChanged(String server, long generation, Object listing) {
    Seen now = new Seen(generation, listing);
    Seen before = backends.put(server, now);
    if (before == null || before.generation() == 0) {
      return;
    }
    if (before.generation() != generation) {
      dropServer(server, "backend restarted");
    } else if (before.listing() != listing) {
      dropServer(server, "backend re-listed its items");
    }
  }

  /** Drops a server's entries: at once for lookups here, in the store on a thread of its own (SCAN may take a while). */
  private void dropServer(String server, String why) {
    epoch.incrementAndGet();
    long droppedAt = clock.millis();
    serverDroppedAt.put(server, droppedAt);
    Thread.ofVirtual().name("cache-drop-" + server).start(() -> {
      try {
        long count = store.dropServer(server, droppedAt);
        log.info("backend={} {}: dropped {} cached result(s)", server, why, count);
      } catch (StoreUnavailableException e) {
        log.warn("backend={} {}: {}", server, why, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("backend={} {}: dropping its cached results failed", server, why, e);
      }
    });
  }

  /** Drops every entry (DELETE /admin/cache); throws when the store cannot now (it will when back). */
  public long dropAll() throws StoreUnavailableException {
    epoch.incrementAndGet();
    allDroppedAt = clock.millis();
    return store.dropAll();
  }

  /** Drops the entries of one exposed tool name (DELETE /admin/cache?tool=NAME). */
  public long dropTool(String tool) throws StoreUnavailableException {
    epoch.incrementAndGet();
    toolDroppedAt.put(tool, clock.millis());
    return store.dropTool(tool);
  }

  /** Checks the store within its deadline, without blocking a thread; completes with whether it is up. */
  public CompletableFuture<Boolean> check() {
    return store.check();
  }

  /** Whether the store is usable now (memory: always; Redis: outside an outage). */
  public boolean available() {
    return store.available();
  }

  /** /health's {@code checks.cache}: checks the store (waits at most {@code store_timeout}), then describes it. */
  public ObjectNode health() {
    try {
      store.check().get(storeTimeout.toMillis() + 100, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the store's health has noted the failure; describe() reports it
    }
    return store.describe();
  }

  /** GET /admin/stats: the store and the counters per tool. */
  public ObjectNode statsJson() {
    ObjectNode json = Json.object();
    json.set("store", store.describe());
    json.put("inFlight", flights.size());
    json.setAll(stats.toJson());
    return json;
  }

  @Override
  public void close() {
    store.close();
  }
}
