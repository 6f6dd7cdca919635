package dev.switchboard.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis store ({@code cache.store: redis://HOST:PORT}) on Lettuce. Keys are
 * {@code switchboard:cache:SERVER:TOOL:SHA256}, so instances with one config share entries and a
 * server's or tool's entries can be found with SCAN; the TTL is set in Redis (SET PX). A value is
 * a small header (format, stored-at, expires-at) and the result's JSON, deflated when larger than
 * {@value #COMPRESS_ABOVE} bytes.
 *
 * <p>Every operation on the call path waits at most {@code store_timeout}. A failure starts an
 * outage (logged once, see {@link StoreHealth}): calls bypass Redis at once, without waiting,
 * while a probe thread reconnects and PINGs every {@value #PROBE_INTERVAL_MS} ms; drops asked for
 * during the outage run before the store is used again, so nothing that was dropped comes back.
 * Lettuce's own reconnect is off and commands are rejected while disconnected: the probe owns
 * reconnection.
 */
final class RedisStore implements CacheStore {
  private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
  static final String PREFIX = "switchboard:cache:";
  static final int COMPRESS_ABOVE = 4096;
  static final long PROBE_INTERVAL_MS = 500;
  private static final Duration DROP_TIMEOUT = Duration.ofSeconds(5);
  private static final byte PLAIN = 'j';
  private static final byte DEFLATED = 'z';
  private static final int HEADER = 1 + 8 + 8;

  private final String display;
  private final long timeoutMillis;
  private final StoreHealth health;
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("cache-redis-probe").unstarted(r));
  /** SCAN patterns whose keys must go before the store is used again. */
  private final Set<String> pendingDrops = new LinkedHashSet<>();
  private volatile StatefulRedisConnection<String, byte[]> connection;
  private volatile boolean closed;

  RedisStore(URI uri, Duration timeout, InstantSource clock) {
    this.display = display(uri);
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.health = new StoreHealth(display, clock);
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(Duration.ofMillis(Math.max(1000, timeoutMillis * 10)));
    this.client = RedisClient.create(resources, redisUri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).keepAlive(true).build())
        // Commands the call path gave up on are ended by Lettuce too, so they do not pile up.
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(Math.max(1000, timeoutMillis * 10))))
        .build());
    probe.scheduleWithFixedDelay(this::probeIfDown, 0, PROBE_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  /** {@code redis://host:port[/db]}: never the password. */
  static String display(URI uri) {
    String path = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/") ? "" : uri.getPath();
    return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()) + path;
  }

  static String redisKey(CacheKey key) {
    return PREFIX + key.server() + ":" + key.tool() + ":" + key.hash();
  }

  @Override
  public CachedResult get(CacheKey key) throws StoreUnavailableException {
    StatefulRedisConnection<String, byte[]> c = usable();
    byte[] value = await(c.async().get(redisKey(key)).toCompletableFuture(), timeoutMillis);
    return value == null ? null : decode(key, value);
  }

  @Override
  public void put(CacheKey key, byte[] json, long storedAtMillis, long expiresAtMillis) {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (!health.up() || c == null) {
      return;
    }
    long ttl = Math.max(1, expiresAtMillis - storedAtMillis);
    c.async().set(redisKey(key), encode(json, storedAtMillis, expiresAtMillis), SetArgs.Builder.px(ttl)).toCompletableFuture()
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete((ok, failure) -> {
          if (failure != null) {
            health.failed("SET " + describe(failure));
          }
        });
  }

  @Override
  public long dropServer(String server, long storedUpToMillis) throws StoreUnavailableException {
    // Entries are not read back to learn when they were stored: a newer one dropped costs one miss.
    return drop(PREFIX + escape(server) + ":*");
  }

  @Override
  public long dropTool(String tool) throws StoreUnavailableException {
    return drop(PREFIX + "*:" + escape(tool) + ":*");
  }

  @Override
  public long dropAll() throws StoreUnavailableException {
    return drop(PREFIX + "*");
  }

  private long drop(String pattern) throws StoreUnavailableException {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (health.up() && c != null) {
      try {
        return scanAndUnlink(c, pattern);
      } catch (ExecutionException e) {
        health.failed(describe(e.getCause()));
      } catch (TimeoutException e) {
        health.failed("no answer within " + DROP_TIMEOUT.toMillis() + " ms while dropping entries");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (pendingDrops) {
      pendingDrops.add(pattern);
    }
    throw new StoreUnavailableException("cache store " + display + " is unreachable (" + health.reason()
        + "); the entries will be dropped when it is back, before it is used again");
  }

  /** SCAN MATCH and UNLINK, page by page, within {@link #DROP_TIMEOUT}; returns how many keys went. */
  private long scanAndUnlink(StatefulRedisConnection<String, byte[]> c, String pattern)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + DROP_TIMEOUT.toNanos();
    long count = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    while (true) {
      KeyScanCursor<String> page = c.async().scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000))
          .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      List<String> keys = page.getKeys();
      if (!keys.isEmpty()) {
        Long removed = c.async().unlink(keys.toArray(String[]::new)).get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        count += removed == null ? 0 : removed;
      }
      if (page.isFinished()) {
        return count;
      }
      cursor = page;
    }
  }

  private static long remainingMillis(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  @Override
  public CompletableFuture<Boolean> check() {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (!health.up() || c == null) {
      return CompletableFuture.completedFuture(false); // the probe is on it; do not wait
    }
    return c.async().ping().toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .handle((pong, failure) -> {
          if (failure != null) {
            health.failed("PING " + describe(failure));
            return false;
          }
          return true;
        });
  }

  @Override
  public boolean available() {
    return health.up();
  }

  @Override
  public ObjectNode describe() {
    ObjectNode json = Json.object();
    json.put("status", health.up() ? "up" : "degraded");
    json.put("store", display);
    if (!health.up()) {
      json.put("error", health.reason());
      json.put("since", health.since().toString());
    }
    return json;
  }

  /** The connection when the store is up; otherwise counts a bypass and throws at once. */
  private StatefulRedisConnection<String, byte[]> usable() throws StoreUnavailableException {
    StatefulRedisConnection<String, byte[]> c = connection;
    if (!health.up() || c == null) {
      health.bypassed();
      throw new StoreUnavailableException(health.reason());
    }
    return c;
  }

  /** Waits for a Redis answer up to {@code millis}; any failure starts (or continues) an outage. */
  private <T> T await(CompletableFuture<T> future, long millis) throws StoreUnavailableException {
    try {
      return future.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      health.failed("no answer within " + millis + " ms");
    } catch (ExecutionException e) {
      health.failed(describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted");
    }
    health.bypassed();
    throw new StoreUnavailableException(health.reason() == null ? "unavailable" : health.reason());
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return "no answer in time";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** While not up: reconnect if needed, PING, run the drops asked for meanwhile, then declare it up. */
  private void probeIfDown() {
    if (closed || health.up()) {
      return;
    }
    try {
      StatefulRedisConnection<String, byte[]> c = connection;
      if (c == null || !c.isOpen()) {
        if (c != null) {
          c.closeAsync();
        }
        connection = null;
        c = client.connect(codec);
        connection = c;
      }
      String pong = c.async().ping().toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
      if (!"PONG".equals(pong)) {
        throw new IllegalStateException("PING answered " + pong);
      }
      List<String> drops;
      synchronized (pendingDrops) {
        drops = List.copyOf(pendingDrops);
      }
      for (String pattern : drops) {
        long count = scanAndUnlink(c, pattern);
        synchronized (pendingDrops) {
          pendingDrops.remove(pattern);
        }
        log.info("cache store {} dropped {} entries ({}) asked for during the outage", display, count, pattern);
      }
      health.succeeded();
    } catch (TimeoutException e) {
      health.failed("no answer within " + timeoutMillis + " ms");
    } catch (ExecutionException e) {
      health.failed(describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      health.failed(describe(e));
    }
  }

  /** Escapes Redis glob characters, so a name is matched literally. */
  static String escape(String literal) {
    StringBuilder out = new StringBuilder(literal.length());
    for (char c : literal.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  static byte[] encode(byte[] json, long storedAtMillis, long expiresAtMillis) {
    boolean deflate = json.length > COMPRESS_ABOVE;
    byte[] payload = deflate ? deflate(json) : json;
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload.length);
    buffer.put(deflate ? DEFLATED : PLAIN);
    buffer.putLong(storedAtMillis);
    buffer.putLong(expiresAtMillis);
    buffer.put(payload);
    return buffer.array();
  }

  /** The entry a value holds, or null (a miss) when it is not one of ours. */
  static CachedResult decode(CacheKey key, byte[] value) {
    if (value.length < HEADER || (value[0] != PLAIN && value[0] != DEFLATED)) {
      log.debug("cache entry {} is not in the expected format; treated as a miss", key.hash());
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(value);
    byte format = buffer.get();
    long storedAt = buffer.getLong();
    long expiresAt = buffer.getLong();
    try {
      byte[] json = format == DEFLATED ? inflate(value, HEADER) : java.util.Arrays.copyOfRange(value, HEADER, value.length);
      return new CachedResult(CacheStore.parse(json), json.length, storedAt, expiresAt);
    } catch (DataFormatException | McpError | ClassCastException e) {
      log.debug("cache entry {} could not be read ({}); treated as a miss", key.hash(), e.toString());
      return null;
    }
  }

  private static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(bytes);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
      byte[] chunk = new byte[8192];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static byte[] inflate(byte[] value, int offset) throws DataFormatException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(value, offset, value.length - offset);
      ByteArrayOutputStream out = new ByteArrayOutputStream(value.length * 4);
      byte[] chunk = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DataFormatException("truncated");
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }

  @Override
  public void close() {
    closed = true;
    probe.shutdownNow();
    StatefulRedisConnection<String, byte[]> c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
    client.shutdown(0, 2, TimeUnit.SECONDS);
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
