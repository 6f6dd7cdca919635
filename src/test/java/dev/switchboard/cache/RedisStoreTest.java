package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.RedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis store against real Redis: the shared one at 127.0.0.1:6379 (with server names of this
 * test's own, so parallel runs do not meet), and a Redis of the test's own where it is paused or
 * stopped.
 */
class RedisStoreTest {
  private static final Duration TIMEOUT = Duration.ofMillis(50);
  private final String server = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private RedisStore store;
  private RedisStore other;

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    for (RedisStore s : new RedisStore[] {store, other}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private static RedisStore connect(String uri) {
    RedisStore store = new RedisStore(URI.create(uri), TIMEOUT, InstantSource.system());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(store::available);
    return store;
  }

  private CacheKey key(String tool, String arguments) {
    return CacheKey.of(server, tool, Json.parse(arguments), "user:alice");
  }

  private static byte[] json(ObjectNode result) {
    return Json.writeBytes(result);
  }

  private static ObjectNode text(String text) {
    ObjectNode result = Json.object();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }

  private void put(RedisStore target, CacheKey key, ObjectNode result, long ttlMillis) {
    long now = System.currentTimeMillis();
    target.put(key, json(result), now, now + ttlMillis);
  }

  private CachedResult awaitEntry(RedisStore target, CacheKey key) {
    return Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> target.get(key), java.util.Objects::nonNull);
  }

  @Test
  void twoStoresOnOneRedisShareEntriesWithTheTtlSetInRedis() throws Exception {
    store = connect(RedisServer.SHARED);
    other = connect(RedisServer.SHARED);
    CacheKey key = key("weather", "{\"city\":\"Paris\"}");
    put(store, key, text("sunny"), 60_000);
    CachedResult entry = awaitEntry(other, key);
    assertThat(entry.result().path("content").path(0).path("text").asText()).isEqualTo("sunny");
    assertThat(entry.expiresAtMillis() - entry.storedAtMillis()).isEqualTo(60_000);
    long pttl = Long.parseLong(RedisServer.command(6379, "PTTL", RedisStore.redisKey(key)).substring(1));
    assertThat(pttl).isBetween(50_000L, 60_000L);
  }

  @Test
  void largeValuesAreCompressedAndReadBack() throws Exception {
    store = connect(RedisServer.SHARED);
    String big = "abc".repeat(10_000);
    CacheKey key = key("files_read", "{\"path\":\"big.txt\"}");
    put(store, key, text(big), 60_000);
    CachedResult entry = awaitEntry(store, key);
    assertThat(entry.result().path("content").path(0).path("text").asText()).isEqualTo(big);
    String length = RedisServer.command(6379, "STRLEN", RedisStore.redisKey(key));
    assertThat(Long.parseLong(length.substring(1))).isLessThan(big.length() / 10);
    assertThat(RedisStore.encode(json(text("small")), 1, 2)[0]).isEqualTo((byte) 'j');
  }

  @Test
  void entriesExpireInRedis() {
    store = connect(RedisServer.SHARED);
    CacheKey key = key("t", "{}");
    put(store, key, text("short-lived"), 300);
    awaitEntry(store, key);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> store.get(key) == null);
  }

  @Test
  void aServersOrAToolsEntriesCanBeDropped() throws Exception {
    store = connect(RedisServer.SHARED);
    CacheKey a = key("tool_a", "{\"n\":1}");
    CacheKey a2 = key("tool_a", "{\"n\":2}");
    CacheKey b = key("tool_b", "{}");
    CacheKey elsewhere = CacheKey.of(server + "-x", "tool_a", Json.object(), "shared");
    for (CacheKey k : new CacheKey[] {a, a2, b, elsewhere}) {
      put(store, k, text(k.tool()), 60_000);
      awaitEntry(store, k);
    }
    assertThat(store.dropServer(server, Long.MAX_VALUE)).isEqualTo(3);
    assertThat(store.get(a)).isNull();
    assertThat(store.get(b)).isNull();
    assertThat(store.get(elsewhere)).isNotNull();
    store.dropServer(server + "-x", Long.MAX_VALUE);
  }

  @Test
  void garbageUnderAKeyIsAMiss() throws Exception {
    store = connect(RedisServer.SHARED);
    CacheKey key = key("t", "{\"garbage\":true}");
    RedisServer.command(6379, "SET", RedisStore.redisKey(key), "not ours", "PX", "60000");
    assertThat(store.get(key)).isNull();
    assertThat(RedisStore.decode(key, "zzzzzzzzzzzzzzzzzzzz".getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void aSlowRedisIsBypassedWithinTheStoreTimeoutAndComesBack() throws Exception {
    try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
      store = connect(redis.uri());
      CacheKey key = key("t", "{}");
      redis.command("CLIENT", "PAUSE", "1500", "ALL");
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.get(key)).isInstanceOf(StoreUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
      assertThat(store.available()).isFalse();
      assertThat(store.describe().path("status").asText()).isEqualTo("degraded");
      // While the outage lasts, calls do not wait at all.
      start = System.nanoTime();
      assertThatThrownBy(() -> store.get(key)).isInstanceOf(StoreUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(store::available);
      assertThat(store.get(key)).isNull();
    }
  }

  @Test
  void dropsAskedForDuringAnOutageHappenBeforeTheStoreIsUsedAgain() throws Exception {
    try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
      store = connect(redis.uri());
      CacheKey key = key("t", "{}");
      put(store, key, text("old"), 60_000);
      awaitEntry(store, key);
      redis.command("CLIENT", "PAUSE", "1000", "ALL");
      assertThatThrownBy(() -> store.get(key)).isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> store.dropAll()).isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("will be dropped when it is back");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(store::available);
      assertThat(store.get(key)).isNull();
    }
  }

  @Test
  void theDisplayedStoreNeverShowsAPassword() {
    assertThat(RedisStore.display(URI.create("redis://:secret@cache.internal:6380/2"))).isEqualTo("redis://cache.internal:6380/2");
    assertThat(RedisStore.display(URI.create("rediss://user:pw@h"))).isEqualTo("rediss://h:6379");
  }
}
