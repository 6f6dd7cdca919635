package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.Backend;
import dev.switchboard.backend.BackendEvents;
import dev.switchboard.backend.CallContext;
import dev.switchboard.backend.HealthMonitor;
import dev.switchboard.backend.ListKind;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.config.HubSettings;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.pipeline.BackendCallStep;
import dev.switchboard.pipeline.Pipeline;
import dev.switchboard.pipeline.Reply;
import dev.switchboard.pipeline.Request;
import dev.switchboard.pipeline.RouteStep;
import dev.switchboard.protocol.CacheHint;
import dev.switchboard.protocol.Methods;
import dev.switchboard.session.HubServices;
import dev.switchboard.session.Session;
import dev.switchboard.session.StatelessServer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: owns the backends, the catalog, the pipeline and the sessions, and closes
 * them in order (sessions, then backends in parallel, each ending its process tree).
 */
public final class Hub implements HubServices, BackendEvents, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  private final SwitchboardConfig config;
  private final Map<String, Backend> backends;
  private final Catalog catalog = new Catalog();
  private final Pipeline pipeline;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final HealthMonitor health;
  private final StatelessServer stateless;
  private final java.time.Instant started = java.time.Instant.now();
  private volatile boolean closed;

  private Hub(SwitchboardConfig config, Map<String, String> environment, InstantSource clock) {
    this.config = config;
    Map<String, Backend> map = new LinkedHashMap<>();
    String defaultServer = null;
    for (ServerConfig server : config.servers().values()) {
      map.put(server.name(), new Backend(server, config.hub(), environment, this, clock));
      if (server.isDefault()) {
        defaultServer = server.name();
      }
    }
    this.backends = Collections.unmodifiableMap(map);
    this.health = new HealthMonitor(map.values(), config.hub().healthInterval());
    // The request pipeline, in one visible place.
    this.pipeline = new Pipeline(List.of(
        new RouteStep(catalog::current, defaultServer),
        new BackendCallStep(backends)));
    this.stateless = new StatelessServer(this, config.hub().resultTtl(), !config.users().isEmpty(), this::backendListHint,
        uris -> watchResources());
  }

  /** Builds the hub and starts every backend in the background; returns at once. */
  public static Hub start(SwitchboardConfig config, Map<String, String> environment) {
    Hub hub = create(config, environment);
    hub.startBackends();
    return hub;
  }

  /** Builds the hub without starting backends, so a front can be serving before the children spawn. */
  public static Hub create(SwitchboardConfig config, Map<String, String> environment) {
    return new Hub(config, environment, InstantSource.system());
  }

  /** Starts every backend in the background; returns at once. */
  public void startBackends() {
    log.info("hub starting {} backend(s) from {}", backends.size(), config.sourceName());
    backends.values().forEach(Backend::start);
    health.start();
  }

  /** The cache check of /health: no result cache yet, so it always passes. */
  public ObjectNode cacheHealth() {
    ObjectNode cache = Json.object();
    cache.put("status", "up");
    cache.put("store", "none");
    return cache;
  }

  /** When the hub was created. */
  public java.time.Instant started() {
    return started;
  }

  /** Whether every backend has finished its first attempt to start: the catalog is loaded. */
  public boolean ready() {
    return backends.values().stream().allMatch(Backend::started);
  }

  public SwitchboardConfig config() {
    return config;
  }

  public Map<String, Backend> backends() {
    return backends;
  }

  /** Opens a session for one client; its messages are answered through {@code out}. */
  public Session openSession(Principal principal, Consumer<ObjectNode> out) {
    if (closed) {
      throw new IllegalStateException("the hub is closed");
    }
    Session session = new Session(this, principal, out);
    sessions.add(session);
    return session;
  }

  /** Serves stateless-era (2026-07-28) requests for every front, and owns their subscriptions. */
  public StatelessServer stateless() {
    return stateless;
  }

  /** The strictest caching hint the running backends gave for one list, or null when none gave one. */
  private CacheHint backendListHint(ListKind kind) {
    CacheHint hint = null;
    for (Backend backend : backends.values()) {
      CacheHint own = backend.listCacheHint(kind);
      if (own != null) {
        hint = hint == null ? own : hint.and(own);
      }
    }
    return hint;
  }

  /**
   * Tells each backend which of its resources open subscriptions want updates of: the owner of a listed
   * URI, and every backend that offers resource subscriptions for a URI no list shows (a template's).
   * Runs in the background: subscribing at a backend is a request.
   */
  private void watchResources() {
    Set<String> wanted = stateless.wantedResources();
    CatalogSnapshot snapshot = catalog.current();
    for (Backend backend : backends.values()) {
      Set<String> own = new java.util.TreeSet<>();
      for (String uri : wanted) {
        CatalogEntry owner = snapshot.find(ListKind.RESOURCES, uri);
        if (owner != null ? owner.server().equals(backend.name()) : backend.offersResourceSubscriptions()) {
          own.add(owner != null ? owner.backendKey() : uri);
        }
      }
      Thread.ofVirtual().name("watch-resources-" + backend.name()).start(() -> backend.watchResources(own));
    }
  }

  public int sessionCount() {
    return sessions.size();
  }

  @Override
  public CatalogSnapshot catalog() {
    return catalog.current();
  }

  @Override
  public void awaitStartup() {
    long deadline = System.nanoTime() + config.hub().startupWait().toNanos();
    try {
      for (Backend backend : backends.values()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !backend.awaitFirstAttempt(Duration.ofNanos(remaining))) {
          log.info("backend={} still starting after startup_wait; listing without it for now", backend.name());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean visible(Principal principal, ListKind kind, CatalogEntry entry) {
    return true;
  }

  @Override
  public Reply execute(Request request) {
    return pipeline.execute(request);
  }

  @Override
  public ObjectNode capabilities() {
    ObjectNode capabilities = Json.object();
    capabilities.putObject("tools").put("listChanged", true);
    capabilities.putObject("prompts").put("listChanged", true);
    capabilities.putObject("resources").put("listChanged", true);
    capabilities.putObject("logging");
    return capabilities;
  }

  @Override
  public String instructions() {
    return null;
  }

  @Override
  public HubSettings settings() {
    return config.hub();
  }

  @Override
  public void setLogLevel(String level) {
    List<Thread> threads = new ArrayList<>();
    for (Backend backend : backends.values()) {
      threads.add(Thread.ofVirtual().name("setlevel-" + backend.name()).start(() -> backend.setLogLevel(level)));
    }
    joinAll(threads, Duration.ofSeconds(10));
  }

  @Override
  public void closed(Session session) {
    sessions.remove(session);
  }

  @Override
  public void onChanged(Backend backend) {
    if (closed) {
      return;
    }
    List<Catalog.Source> sources = new ArrayList<>();
    for (Backend b : backends.values()) {
      sources.add(new Catalog.Source(b.name(), b.config().prefix(), b.listing()));
    }
    CatalogSnapshot before = catalog.current();
    CatalogSnapshot after = catalog.rebuild(sources);
    if (after != before) {
      for (Session session : sessions) {
        session.catalogChanged(after);
      }
      stateless.catalogChanged(after);
      if (!stateless.wantedResources().isEmpty()) {
        watchResources(); // a resource may have appeared, or moved to another backend
      }
    }
  }

  @Override
  public void onNotification(Backend backend, ObjectNode notification) {
    String method = JsonRpc.method(notification);
    if (Methods.RESOURCE_UPDATED.equals(method)) {
      String uri = Json.text(JsonRpc.params(notification), "uri");
      CatalogEntry owner = uri == null ? null : catalog.current().find(ListKind.RESOURCES, uri);
      if (uri != null && (owner == null || owner.server().equals(backend.name()))) {
        stateless.resourceUpdated(uri, owner); // resource URIs are exposed as the backend names them
      }
    } else if ("notifications/message".equals(method)) {
      JsonNode params = JsonRpc.params(notification);
      log.debug("backend={} log (no call in flight) level={} data={}", backend.name(), Json.text(params, "level"),
          params.get("data"));
    } else {
      log.debug("backend={} notification {} not routed", backend.name(), method);
    }
  }

  @Override
  public JsonNode onRequest(Backend backend, ObjectNode request, CallContext related) {
    throw new McpError(McpError.METHOD_NOT_FOUND, "Method not found: " + JsonRpc.method(request)
        + " (the hub did not declare this client capability to backend '" + backend.name() + "')");
  }

  /** Ends every session, then every backend in parallel; returns when all processes have ended. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.close();
    stateless.close();
    for (Session session : List.copyOf(sessions)) {
      session.close();
    }
    List<Thread> threads = new ArrayList<>();
    for (Backend backend : backends.values()) {
      threads.add(Thread.ofPlatform().name("close-" + backend.name()).start(backend::close));
    }
    joinAll(threads, config.hub().shutdownGrace().multipliedBy(2).plusSeconds(10));
    log.info("hub stopped");
  }

  private static void joinAll(List<Thread> threads, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Thread thread : threads) {
      try {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !thread.join(Duration.ofNanos(remaining))) {
          log.warn("{} did not finish within {} s", thread.getName(), limit.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
