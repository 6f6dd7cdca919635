package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolVersion;
import dev.switchboard.protocol.Version;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub as a client of a stateless-era (2026-07-28) backend, for the life of one connection. It
 * tells the eras apart ({@link #probe}: {@code server/discover}, as the spec's backward-compatibility
 * rules say), puts the per-request {@code _meta} on every request ({@link #shape}), and keeps a
 * {@code subscriptions/listen} stream open for the list changes the backend announces, reopening it
 * with backoff (and re-listing, since changes may have been missed) until the connection ends.
 *
 * <p>Requests from a stateless-era client keep their {@code clientCapabilities} and {@code logLevel}
 * (so a backend may ask for input the client can give, and the client gets the logs it asked for);
 * the protocol version and client info are the hub's.
 */
final class ModernBackendSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModernBackendSession.class);
  /** How long a listen request may stay open: for the life of the connection. */
  private static final Duration FOREVER = Duration.ofDays(3650);
  /** The longest a stdio backend may take to answer the era probe before it counts as handshake-era. */
  static final Duration PROBE_WAIT = Duration.ofSeconds(10);
  static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final ObjectNode CLIENT_INFO = clientInfo();
  /** How long the second discover (in a version the backend named) may take. */
  private static final Duration RETRY_WAIT = Duration.ofSeconds(30);

  private final String backend;
  private final String version;
  private final ObjectNode discovered;
  private final Supplier<String> logLevel;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile CallContext listening;
  /** Resources watched (backend URIs): their updates are asked for on the listen stream. */
  private volatile Set<String> resources = Set.of();
  /** Wakes the listen loop: the watched resources changed, or it is time to stop. */
  private final BlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
  private Thread listener;

  private ModernBackendSession(String backend, String version, ObjectNode discovered, Supplier<String> logLevel) {
    this.backend = backend;
    this.version = version;
    this.discovered = discovered;
    this.logLevel = logLevel;
  }

  private static ObjectNode clientInfo() {
    ObjectNode info = Json.object();
    info.put("name", "switchboard");
    info.put("version", Version.current());
    return info;
  }

  /**
   * Asks the backend which era it speaks with {@code server/discover}. A {@code DiscoverResult} naming a
   * version the hub speaks means the stateless era; any other answer (an error that is not one of this
   * era's, or silence past {@code wait}) means the handshake era: null, and the caller initializes.
   *
   * @param logLevel the level a handshake-era client last set for the backends (asked per request here), or null
   * @throws McpError when the connection itself ended (the backend is unreachable or exited), or when the
   *     backend speaks only stateless-era versions the hub does not
   */
  static ModernBackendSession probe(String backend, BackendConnection connection, Duration wait, Supplier<String> logLevel) {
    ObjectNode params = Json.object();
    params.set("_meta", meta(ProtocolVersion.LATEST_STATELESS, null));
    JsonNode answer;
    try {
      answer = connection.call(Methods.SERVER_DISCOVER, params, CallContext.internal(), wait, wait);
    } catch (McpError e) {
      if (connection.isClosed()) {
        throw e;
      }
      if (e.code() == McpError.UNSUPPORTED_PROTOCOL_VERSION) {
        return chooseFrom(backend, e.data() == null ? null : e.data().get("supported"), null, connection, logLevel);
      }
      if (McpError.isStatelessEraCode(e.code())) {
        throw McpError.backendUnavailable("Backend '" + backend + "' speaks the stateless era but refused server/discover: "
            + e.getMessage());
      }
      log.debug("backend={} answered server/discover with {} ({}): a handshake-era server", backend, e.code(), e.getMessage());
      return null;
    }
    if (!(answer instanceof ObjectNode result) || !result.has("supportedVersions")) {
      log.debug("backend={} answered server/discover without supportedVersions: a handshake-era server", backend);
      return null;
    }
    return chooseFrom(backend, result.get("supportedVersions"), result, connection, logLevel);
  }

  /** Picks the newest stateless-era version both speak; null when the backend names only handshake-era ones. */
  private static ModernBackendSession chooseFrom(String backend, JsonNode supported, ObjectNode discovered,
      BackendConnection connection, Supplier<String> logLevel) {
    List<String> versions = supported instanceof ArrayNode array
        ? java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList() : List.of();
    for (String version : ProtocolVersion.STATELESS_ERA) {
      if (versions.contains(version)) {
        ObjectNode result = discovered;
        if (result == null) {
          // A version error answered the probe; ask again in a version the backend speaks.
          ObjectNode params = Json.object();
          params.set("_meta", meta(version, null));
          JsonNode again = connection.call(Methods.SERVER_DISCOVER, params, CallContext.internal(), RETRY_WAIT, RETRY_WAIT);
          if (!(again instanceof ObjectNode object)) {
            throw McpError.backendUnavailable("Backend '" + backend + "' answered server/discover with " + again.getNodeType());
          }
          result = object;
        }
        return new ModernBackendSession(backend, version, result, logLevel);
      }
    }
    if (versions.stream().anyMatch(ProtocolVersion::isSupported)) {
      return null; // it also speaks a handshake-era version: initialize
    }
    throw McpError.backendUnavailable("Backend '" + backend + "' speaks protocol version(s) " + versions
        + ", which the hub does not (it speaks " + String.join(", ", ProtocolVersion.ALL) + ")");
  }

  String version() {
    return version;
  }

  /** What {@code server/discover} answered: capabilities, server info (in {@code _meta}), instructions. */
  ObjectNode discovered() {
    return discovered;
  }

  ObjectNode capabilities() {
    return Json.objectAt(discovered, "capabilities");
  }

  ObjectNode serverInfo() {
    ObjectNode meta = Json.objectAt(discovered, "_meta");
    ObjectNode info = Json.objectAt(meta, MetaKeys.SERVER_INFO);
    return info != null ? info : Json.objectAt(discovered, "serverInfo");
  }

  /** The {@code _meta} of a request to a stateless-era backend, keeping the client's capabilities and log level. */
  private static ObjectNode meta(String version, ObjectNode original) {
    ObjectNode meta = Json.object();
    if (original != null) {
      meta.setAll(original);
    }
    meta.put(MetaKeys.PROTOCOL_VERSION, version);
    meta.set(MetaKeys.CLIENT_INFO, CLIENT_INFO);
    if (!(meta.get(MetaKeys.CLIENT_CAPABILITIES) instanceof ObjectNode)) {
      meta.putObject(MetaKeys.CLIENT_CAPABILITIES);
    }
    return meta;
  }

  /** Puts this era's {@code _meta} on an outgoing request's params (a copy; the client's params stay as they are). */
  ObjectNode shape(String method, ObjectNode params) {
    ObjectNode shaped = Json.object();
    shaped.setAll(params);
    ObjectNode meta = meta(version, Json.objectAt(params, "_meta"));
    String level = logLevel.get();
    if (level != null && !meta.has(MetaKeys.LOG_LEVEL)) {
      meta.put(MetaKeys.LOG_LEVEL, level);
    }
    shaped.set("_meta", meta);
    return shaped;
  }

  /**
   * The other direction, for a handshake-era backend: a stateless-era client's {@code io.modelcontextprotocol/*}
   * keys are taken out of {@code _meta}, since they would mean nothing (or the wrong thing) there.
   */
  static ObjectNode stripStatelessMeta(String method, ObjectNode params) {
    ObjectNode meta = Json.objectAt(params, "_meta");
    if (meta == null || !hasStatelessKey(meta)) {
      return params; // the common case costs no copy
    }
    ObjectNode stripped = Json.object();
    stripped.setAll(params);
    ObjectNode kept = Json.object();
    meta.properties().forEach(e -> {
      if (!e.getKey().startsWith(MetaKeys.PREFIX)) {
        kept.set(e.getKey(), e.getValue());
      }
    });
    if (kept.isEmpty()) {
      stripped.remove("_meta");
    } else {
      stripped.set("_meta", kept);
    }
    return stripped;
  }

  private static boolean hasStatelessKey(ObjectNode meta) {
    for (Map.Entry<String, JsonNode> e : meta.properties()) {
      if (e.getKey().startsWith(MetaKeys.PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Keeps a listen stream open while there is anything to listen for (list changes the backend announces,
   * resources the hub watches), until {@link #close} or the connection ends. A stream that fails or ends
   * is reopened with backoff, and then {@code refresh} re-lists every kind, since changes in between went
   * unheard. A change of the watched resources reopens it at once with the new filter.
   */
  void listen(BackendConnection connection, Consumer<ListKind> refresh) {
    listener = Thread.ofVirtual().name("backend-" + backend + "-listen").start(() -> {
      Duration backoff = INITIAL_BACKOFF;
      boolean missedChanges = false;
      try {
        while (stop.getCount() > 0 && !connection.isClosed()) {
          ObjectNode filter = filter();
          if (filter.isEmpty()) {
            wake.take(); // nothing to listen for until resources are watched
            continue;
          }
          if (missedChanges) {
            for (ListKind kind : ListKind.values()) {
              if (capabilities() != null && capabilities().has(kind.capability)) {
                refresh.accept(kind);
              }
            }
          }
          ObjectNode params = Json.object();
          params.set("notifications", filter);
          CallContext context = CallContext.internal();
          listening = context;
          wake.clear();
          long opened = System.nanoTime();
          try {
            connection.call(Methods.SUBSCRIPTIONS_LISTEN, params, context, FOREVER, FOREVER);
            log.info("backend={} ended the listen stream; reopening", backend);
          } catch (McpError e) {
            if (stop.getCount() == 0 || connection.isClosed()) {
              return;
            }
            if (context.isCancelled()) {
              missedChanges = false; // reopened on purpose, with a new filter
              continue;
            }
            if (e.code() == McpError.METHOD_NOT_FOUND) {
              log.warn("backend={} announces changes but does not answer subscriptions/listen: {}", backend, e.getMessage());
              return;
            }
            log.warn("backend={} listen stream failed: {}; reopening in {}", backend, e.getMessage(), Durations.text(backoff));
          }
          if (Duration.ofNanos(System.nanoTime() - opened).compareTo(Duration.ofMinutes(1)) >= 0) {
            backoff = INITIAL_BACKOFF; // it was healthy for a while
          }
          wake.poll(backoff.toMillis(), TimeUnit.MILLISECONDS);
          backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
          missedChanges = true;
        }
      } catch (InterruptedException e) {
        // stopping
      }
    });
  }

  /**
   * Sets the resources (backend URIs) to get {@code notifications/resources/updated} for, when the backend
   * offers resource subscriptions; the listen stream reopens with them.
   */
  void watchResources(Set<String> uris) {
    boolean offered = capabilities() != null && capabilities().path("resources").path("subscribe").asBoolean(false);
    Set<String> next = offered ? Set.copyOf(uris) : Set.of();
    if (next.equals(resources)) {
      return;
    }
    resources = next;
    CallContext current = listening;
    if (current != null) {
      current.cancel("the watched resources changed"); // closing the stream cancels it; the loop reopens it
    }
    wake.offer(Boolean.TRUE);
  }

  /** The notifications to opt in to: the list changes the backend announces, the resources watched. */
  private ObjectNode filter() {
    ObjectNode filter = Json.object();
    ObjectNode capabilities = capabilities();
    if (capabilities == null) {
      return filter;
    }
    for (String kind : List.of("tools", "prompts", "resources")) {
      if (capabilities.path(kind).path("listChanged").asBoolean(false)) {
        filter.put(kind + "ListChanged", true);
      }
    }
    Set<String> watched = resources;
    if (!watched.isEmpty()) {
      ArrayNode uris = filter.putArray("resourceSubscriptions");
      new java.util.TreeSet<>(watched).forEach(uris::add);
    }
    return filter;
  }

  /** Stops the listen stream (closing it cancels it); the connection itself is the caller's. */
  @Override
  public void close() {
    stop.countDown();
    wake.offer(Boolean.TRUE);
    CallContext context = listening;
    if (context != null) {
      context.cancel("the hub is done with this connection");
    }
    if (listener != null) {
      listener.interrupt();
    }
  }
}
