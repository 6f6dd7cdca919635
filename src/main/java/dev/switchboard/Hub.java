package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.AuditLog;
import dev.switchboard.access.Access;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.Backend;
import dev.switchboard.backend.BackendEvents;
import dev.switchboard.backend.BackendListing;
import dev.switchboard.backend.CallContext;
import dev.switchboard.backend.HealthMonitor;
import dev.switchboard.backend.ListKind;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.cache.ResultCache;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.UriTemplates;
import dev.switchboard.config.CacheConfig;
import dev.switchboard.config.ConfigDiff;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.HubSettings;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.jsonrpc.Futures;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.pipeline.AuditStep;
import dev.switchboard.pipeline.AuthorizeStep;
import dev.switchboard.pipeline.BackendCallStep;
import dev.switchboard.pipeline.CacheStep;
import dev.switchboard.pipeline.HubPromptStep;
import dev.switchboard.pipeline.SubscriptionStep;
import dev.switchboard.pipeline.Subscriptions;
import dev.switchboard.prompts.PromptTemplates;
import dev.switchboard.protocol.Methods;
import dev.switchboard.pipeline.Pipeline;
import dev.switchboard.pipeline.Reply;
import dev.switchboard.pipeline.Request;
import dev.switchboard.pipeline.RouteStep;
import dev.switchboard.protocol.CacheHint;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
  private final Map<String, String> environment;
  private volatile PromptTemplates templates;
  private volatile Access access;
  /** The config whose access rules are in force (the start-up one, or the last one reloaded). */
  private volatile SwitchboardConfig applied;
  private final AuditLog audit;
  private final Subscriptions subscriptions = new Subscriptions();
  private final ResultCache cache;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final HealthMonitor health;
  private final StatelessServer stateless;
  /** Ends sessions whose token expires (one timer thread for all; a closed session's timer is removed). */
  private final ScheduledThreadPoolExecutor expiries = new ScheduledThreadPoolExecutor(1,
      r -> Thread.ofPlatform().daemon().name("token-expiry").unstarted(r));
  private final Map<Session, Runnable> expiryTimers = new ConcurrentHashMap<>();
  private final java.time.Instant started = java.time.Instant.now();
  private volatile boolean closed;

  private Hub(SwitchboardConfig config, Map<String, String> environment, InstantSource clock) {
    this.config = config;
    this.applied = config;
    this.environment = Map.copyOf(environment);
    Map<String, Backend> map = new LinkedHashMap<>();
    String defaultServer = null;
    for (ServerConfig server : config.servers().values()) {
      map.put(server.name(), new Backend(server, config.hub(), environment, this, clock));
      if (server.isDefault()) {
        defaultServer = server.name();
      }
    }
    this.backends = Collections.unmodifiableMap(map);
    expiries.setRemoveOnCancelPolicy(true);
    this.health = new HealthMonitor(map.values(), config.hub().healthInterval());
    this.templates = new PromptTemplates(config.prompts());
    this.access = Access.of(config);
    this.audit = new AuditLog(config.audit(), clock);
    RouteStep router = new RouteStep(catalog::current, defaultServer);
    this.cache = ResultCache.create(config, clock);
    // The request pipeline, in one visible place.
    this.pipeline = new Pipeline(List.of(
        new AuditStep(audit, router),
        router,
        new AuthorizeStep(() -> access.policy()),
        new HubPromptStep(() -> templates),
        new SubscriptionStep(subscriptions, this::watchResources),
        new CacheStep(cache, catalog::current),
        new BackendCallStep(backends)));
    this.stateless = new StatelessServer(this, config.hub().resultTtl(), () -> access.authenticator().required(), this::backendListHint,
        uris -> watchResources());
    rebuildCatalog();
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

  /** The cache check of /health: checks the store (at most {@code cache.store_timeout}) and describes it. */
  public ObjectNode cacheHealth() {
    return cache.health();
  }

  /** The result cache (for the admin endpoints). */
  public ResultCache cache() {
    return cache;
  }

  /**
   * A client's ping, answered after checking the hub's own dependencies: the cache store, within
   * its deadline and without holding a thread. The answer is {@code {}}, with
   * {@code _meta.dev.switchboard/cache.status: "degraded"} while the store is unreachable (calls
   * still succeed, without the cache).
   */
  @Override
  public Reply ping() {
    return Reply.pending(cache.check().thenApply(up -> {
      ObjectNode result = Json.object();
      if (!up) {
        result.putObject("_meta").putObject(ResultCache.META_KEY).put("status", "degraded");
      }
      return result;
    }));
  }

  /** When the hub was created. */
  public java.time.Instant started() {
    return started;
  }

  /** Whether every backend has finished its first attempt to start: the catalog is loaded. */
  public boolean ready() {
    return backends.values().stream().allMatch(Backend::started);
  }

  /** The config the hub started with (a reload changes only its access rules and prompt templates). */
  public SwitchboardConfig config() {
    return config;
  }

  /** The access rules in force: read them per request, a reload replaces them. */
  public Access access() {
    return access;
  }

  /** What a reload changed: the sections applied at once, and those that differ but need a restart. */
  public record Reloaded(List<String> applied, List<String> restartNeeded) {}

  /**
   * Reads the config again from where it came from and applies what a running hub can take over:
   * users, auth, stdio.user, admin, tools, prompts (templates and policy), resources, and servers'
   * requires. Every session's principal is re-checked (a user removed, or a client without a token
   * once tokens are required, is disconnected), every view recomputed, and sessions whose view
   * changed get list_changed. Other differences are reported as needing a restart and not applied.
   *
   * @throws ConfigException when the new config is not valid: nothing changes
   */
  public Reloaded reload() throws ConfigException {
    SwitchboardConfig next = config.source() == null ? ConfigLoader.builtInDemo(environment)
        : ConfigLoader.load(config.source(), environment);
    return reload(next);
  }

  /** Applies the reloadable part of {@code next}; see {@link #reload()}. */
  public synchronized Reloaded reload(SwitchboardConfig next) {
    List<String> restartNeeded = new ArrayList<>(ConfigDiff.restartNeeded(config, next));
    CacheConfig caching = config.cache() == null ? CacheConfig.DEFAULT : config.cache();
    if (!cache.reconfigure(new CachePolicy(next.tools(), caching.defaultTtl()))) {
      restartNeeded.add("tools.*.cache (the Redis store is connected at start only when something is cached)");
    }
    Reloaded reloaded = new Reloaded(ConfigDiff.reloadable(applied, next), List.copyOf(restartNeeded));
    Access rules = Access.reloaded(applied, next);
    applied = next;
    access = rules;
    templates = new PromptTemplates(next.prompts());
    for (Session session : List.copyOf(sessions)) {
      session.accessChanged(rules);
    }
    stateless.accessChanged(rules);
    rebuildCatalog();
    CatalogSnapshot snapshot = catalog.current();
    for (Session session : sessions) {
      session.catalogChanged(snapshot);
    }
    stateless.catalogChanged(snapshot);
    log.info("config reloaded from {}: applied {}{}", config.sourceName(),
        reloaded.applied().isEmpty() ? "no changes" : String.join(", ", reloaded.applied()),
        reloaded.restartNeeded().isEmpty() ? "" : "; changed but applied only after a restart: "
            + String.join(", ", reloaded.restartNeeded()));
    return reloaded;
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

  /**
   * Ends a session when its principal's token expires ({@link Session#expired}): for sessions bound
   * to one connection that authenticated once (WebSocket, legacy SSE stream). Streamable HTTP
   * sessions are not: each of their requests brings a token, which may be a refreshed one.
   */
  public void endWhenTokenExpires(Session session) {
    expiryTimers.put(session, whenTokenExpires(session.principal(), session::expired));
  }

  @Override
  public Runnable whenTokenExpires(Principal principal, Runnable action) {
    java.time.Instant expiresAt = principal.expiresAt();
    if (expiresAt == null || closed) {
      return () -> {};
    }
    long delay = Math.max(0, java.time.Duration.between(java.time.Instant.now(), expiresAt).toMillis());
    ScheduledFuture<?> timer = expiries.schedule(action, delay, TimeUnit.MILLISECONDS);
    return () -> timer.cancel(false);
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
    // Both eras: URIs handshake-era sessions subscribed to, and those stateless listen streams want.
    Set<String> wanted = new java.util.TreeSet<>(stateless.wantedResources());
    wanted.addAll(subscriptions.uris());
    CatalogSnapshot snapshot = catalog.current();
    for (Backend backend : backends.values()) {
      Set<String> own = new java.util.TreeSet<>();
      for (String uri : wanted) {
        String owner = ownerOf(snapshot, uri);
        if (owner != null ? owner.equals(backend.name()) : backend.offersResourceSubscriptions()) {
          own.add(uri); // resource URIs are not renamed by the hub
        }
      }
      Thread.ofVirtual().name("watch-resources-" + backend.name()).start(() -> backend.watchResources(own));
    }
  }

  /** The server that lists a URI, else the owner of the first template it matches; null when none. */
  private static String ownerOf(CatalogSnapshot snapshot, String uri) {
    CatalogEntry entry = snapshot.find(ListKind.RESOURCES, uri);
    if (entry != null) {
      return entry.server();
    }
    return snapshot.list(ListKind.RESOURCE_TEMPLATES).stream().filter(t -> UriTemplates.matches(t.key(), uri))
        .map(CatalogEntry::server).findFirst().orElse(null);
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
    return access.policy().allows(principal, kind, entry.key(), entry.server());
  }

  @Override
  public Reply execute(Request request) {
    return pipeline.execute(request);
  }

  /**
   * tools, prompts and resources with listChanged (the hub tells clients when its catalog changes),
   * logging (the hub fans setLevel out), plus what backends that are up offer: completions, and
   * resource subscriptions.
   */
  @Override
  public ObjectNode capabilities() {
    ObjectNode capabilities = Json.object();
    capabilities.putObject("tools").put("listChanged", true);
    capabilities.putObject("prompts").put("listChanged", true);
    ObjectNode resources = capabilities.putObject("resources");
    resources.put("listChanged", true);
    capabilities.putObject("logging");
    for (Backend backend : backends.values()) {
      ObjectNode offered = backend.listing().capabilities();
      if (offered == null) {
        continue;
      }
      if (offered.has("completions")) {
        capabilities.putObject("completions");
      }
      if (offered.path("resources").path("subscribe").asBoolean(false)) {
        resources.put("subscribe", true);
      }
    }
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
    Runnable expiry = expiryTimers.remove(session);
    if (expiry != null) {
      expiry.run();
    }
    if (!subscriptions.removeOwner(session).isEmpty()) {
      watchResources(); // nobody listens to some URIs any more
    }
  }

  @Override
  public void onChanged(Backend backend) {
    if (!closed) {
      cache.backendChanged(backend.name(), backend.generation(), backend.listing());
      rebuildCatalog();
    }
  }

  /** The hub's own prompt templates first, then every backend in config order. */
  private synchronized void rebuildCatalog() {
    List<Catalog.Source> sources = new ArrayList<>();
    sources.add(new Catalog.Source(HubPromptStep.HUB, "", new BackendListing(List.of(), templates.definitions(),
        List.of(), List.of(), null, null, null, null)));
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
      if (!stateless.wantedResources().isEmpty() || !subscriptions.uris().isEmpty()) {
        watchResources(); // a resource may have appeared, or moved to another backend
      }
    }
  }

  @Override
  public void onNotification(Backend backend, ObjectNode notification) {
    String method = JsonRpc.method(notification);
    if (Methods.RESOURCE_UPDATED.equals(method)) {
      // Only to the sessions (handshake era) and listen streams (stateless era) subscribed to that URI.
      String uri = Json.text(JsonRpc.params(notification), "uri");
      CatalogEntry owner = uri == null ? null : catalog.current().find(ListKind.RESOURCES, uri);
      if (uri != null && (owner == null || owner.server().equals(backend.name()))) {
        for (Object session : subscriptions.owners(uri)) {
          ((Session) session).notifyClient(notification);
        }
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

  /**
   * A backend asks a client something (sampling, elicitation, roots) while serving a call: the
   * question goes to the client that made that call, never to another, never to all; its answer
   * goes back to the backend. Without a call to tie it to, roots/list is answered with no roots and
   * anything else fails clearly.
   */
  @Override
  public JsonNode onRequest(Backend backend, ObjectNode request, CallContext related) {
    String method = JsonRpc.method(request);
    if (related == null) {
      if (Methods.ROOTS_LIST.equals(method)) {
        return Json.object().set("roots", Json.array());
      }
      throw new McpError(McpError.INVALID_REQUEST, "Backend '" + backend.name() + "' sent " + method
          + " while no single client had a call in flight to it; the hub cannot tell whom to ask");
    }
    return Futures.await(related.requestClient(method, JsonRpc.params(request)));
  }

  /** Ends every session, then every backend in parallel; returns when all processes have ended. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    expiries.shutdownNow();
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
    audit.close();
    cache.close();
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
