package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.HubSettings;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.jsonrpc.Futures;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.CacheHint;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Version;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured server, supervised: connects (starting the child process or opening the HTTP
 * session), initializes once, lists what it offers, and when the connection ends, fails what was
 * in flight at once and reconnects with exponential backoff (0.5 s doubling to 30 s, reset after a
 * minute of health). Shared by every client session. Thread-safe.
 */
public final class Backend implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Backend.class);
  static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  static final Duration HEALTHY_RESET = Duration.ofMinutes(1);

  private final ServerConfig config;
  private final Duration timeout;
  private final Duration maxTimeout;
  private final Duration grace;
  private final Map<String, String> hubEnvironment;
  private final BackendEvents events;
  private final InstantSource clock;
  private final CountDownLatch firstAttempt = new CountDownLatch(1);
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Object lock = new Object();
  private volatile BackendStatus status = BackendStatus.STARTING;
  private volatile BackendConnection connection;
  /** The connection being set up, so close() can end a start that hangs. */
  private volatile BackendConnection connecting;
  private volatile BackendListing listing = BackendListing.EMPTY;
  /** The caching hints a stateless-era backend gave with its lists (the strictest over all pages). */
  private final Map<ListKind, CacheHint> listHints = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile String lastError;
  private volatile Instant lastOk;
  private volatile Instant nextRestart;
  private volatile int restarts;
  private volatile long generation;
  private volatile String logLevel;
  private volatile int probeFailures;
  /** Resources (backend URIs) whose updates the hub wants; see {@link #watchResources}. */
  private volatile Set<String> watchedResources = Set.of();
  private final Object watchLock = new Object();
  /** The stateless-era side of the current connection, or null for a handshake-era backend. */
  private volatile ModernBackendSession modern;
  /** What a URL backend was found to speak (true: stateless era), null until known or after a failure. */
  private volatile Boolean urlIsStateless;
  private volatile String lastProbeError;
  private Thread supervisor;

  public Backend(ServerConfig config, HubSettings settings, Map<String, String> hubEnvironment, BackendEvents events,
      InstantSource clock) {
    this.config = config;
    this.timeout = config.timeout() != null ? config.timeout() : settings.requestTimeout();
    Duration max = config.maxTimeout() != null ? config.maxTimeout() : settings.maxRequestTimeout();
    this.maxTimeout = max.compareTo(timeout) < 0 ? timeout : max;
    this.grace = settings.shutdownGrace();
    this.hubEnvironment = hubEnvironment;
    this.events = events;
    this.clock = clock;
  }

  public String name() {
    return config.name();
  }

  public ServerConfig config() {
    return config;
  }

  public BackendStatus status() {
    return status;
  }

  public BackendListing listing() {
    return listing;
  }

  /** Whether the backend offers updates of single resources (handshake era: resources/subscribe). */
  public boolean offersResourceSubscriptions() {
    ObjectNode caps = listing.capabilities();
    return status == BackendStatus.UP && caps != null && caps.path("resources").path("subscribe").asBoolean(false);
  }

  /**
   * Sets the resources (by this backend's URIs) whose {@code notifications/resources/updated} the hub wants:
   * subscribed now when up, and again after every restart. A stateless-era backend gets them on its listen
   * stream; a handshake-era one gets {@code resources/subscribe} and {@code resources/unsubscribe}. Blocks
   * while it tells the backend; calls are serialized.
   */
  public void watchResources(Set<String> uris) {
    synchronized (watchLock) {
      Set<String> before = watchedResources;
      watchedResources = Set.copyOf(uris);
      BackendConnection c = connection;
      if (status != BackendStatus.UP || c == null) {
        return; // applied when it (re)connects
      }
      ModernBackendSession session = modern;
      if (session != null) {
        session.watchResources(watchedResources);
      } else if (offersResourceSubscriptions()) {
        subscribeResources(c, watchedResources.stream().filter(u -> !before.contains(u)).toList(), Methods.RESOURCES_SUBSCRIBE);
        subscribeResources(c, before.stream().filter(u -> !watchedResources.contains(u)).toList(), Methods.RESOURCES_UNSUBSCRIBE);
      }
    }
  }

  private void subscribeResources(BackendConnection c, java.util.Collection<String> uris, String method) {
    for (String uri : uris) {
      ObjectNode params = Json.object();
      params.put("uri", uri);
      try {
        c.call(method, params, CallContext.internal(), timeout, timeout);
      } catch (McpError e) {
        log.warn("backend={} refused {} {}: {}", name(), method, uri, e.getMessage());
      }
    }
  }

  /** The caching hint this backend gave with its last listing of a kind, or null (none given, or not up). */
  public CacheHint listCacheHint(ListKind kind) {
    return status == BackendStatus.UP ? listHints.get(kind) : null;
  }

  public int restarts() {
    return restarts;
  }

  public Instant lastOk() {
    return lastOk;
  }

  public String lastError() {
    return lastError;
  }

  /** Increments with every successful (re)start: a new process or session, whose state is new. */
  public long generation() {
    return generation;
  }

  /** The pid of the current child process, or -1 (HTTP backends, or not running). */
  public long pid() {
    BackendConnection c = connection;
    return c == null ? -1 : c.pid();
  }

  public void start() {
    supervisor = Thread.ofVirtual().name("backend-" + name() + "-supervisor").start(this::supervise);
  }

  /** Waits until the first attempt to start has ended (up or failed); false at the deadline. */
  public boolean awaitFirstAttempt(Duration wait) throws InterruptedException {
    return firstAttempt.await(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Calls a method on the backend with the client's context, failing fast (with the backend's name
   * and last error) when it is not up.
   */
  public JsonNode call(String method, ObjectNode params, CallContext context) {
    return Futures.await(send(method, params, context));
  }

  /**
   * Sends a request with the client's context; the future completes on a backend thread (chain
   * nothing that blocks to it). Fails at once, naming the backend and its last error, when it is not up.
   */
  public CompletableFuture<JsonNode> send(String method, ObjectNode params, CallContext context) {
    BackendConnection c = connection;
    if (status != BackendStatus.UP || c == null) {
      return CompletableFuture.failedFuture(unavailable());
    }
    return c.send(method, params, context, timeout, maxTimeout);
  }

  private McpError unavailable() {
    String error = lastError;
    return switch (status) {
      case STARTING -> McpError.backendUnavailable("Backend '" + name() + "' is starting"
          + (restarts > 0 ? " (restart " + restarts + (error == null ? "" : "; last error: " + error) + ")" : ""));
      case DOWN -> {
        Instant next = nextRestart;
        long seconds = next == null ? 0 : Math.max(0, Duration.between(clock.instant(), next).toSeconds());
        yield McpError.backendUnavailable("Backend '" + name() + "' is down" + (error == null ? "" : " (" + error + ")")
            + "; next restart in " + seconds + "s");
      }
      case STOPPED -> McpError.backendUnavailable("Backend '" + name() + "' is stopped");
      case UP -> McpError.backendUnavailable("Backend '" + name() + "' has no connection");
    };
  }

  /** Sets the backend's log level now and after every restart (fan-out of a client's logging/setLevel). */
  public void setLogLevel(String level) {
    logLevel = level;
    if (status == BackendStatus.UP && supportsLogging() && modern == null) { // stateless era: sent per request
      ObjectNode params = Json.object();
      params.put("level", level);
      try {
        call(Methods.SET_LEVEL, params, CallContext.internal());
      } catch (McpError e) {
        log.warn("backend={} refused logging/setLevel {}: {}", name(), level, e.getMessage());
      }
    }
  }

  private boolean supportsLogging() {
    ObjectNode caps = listing.capabilities();
    return caps != null && caps.has("logging");
  }

  /** Probes that failed in a row before a backend that is up is restarted as hung. */
  static final int PROBE_FAILURES_BEFORE_RESTART = 3;

  /**
   * An active health probe: a ping answered within {@code wait}. A backend that is up but misses
   * {@value #PROBE_FAILURES_BEFORE_RESTART} probes in a row is restarted: a live process that does
   * not answer is not healthy.
   */
  public boolean probe(Duration wait) {
    BackendConnection c = connection;
    if (status != BackendStatus.UP || c == null) {
      return false;
    }
    try {
      // The stateless era has no ping: server/discover is its cheapest request.
      c.call(modern != null ? Methods.SERVER_DISCOVER : Methods.PING, Json.object(), CallContext.internal(), wait, wait);
    } catch (McpError e) {
      if (e.code() != McpError.METHOD_NOT_FOUND) { // an answer "no such method" is still an answer
        int failures = ++probeFailures;
        lastProbeError = e.getMessage();
        log.warn("backend={} health probe failed ({} in a row): {}", name(), failures, e.getMessage());
        if (failures >= PROBE_FAILURES_BEFORE_RESTART && connection == c) {
          c.closeWith("did not answer " + failures + " health probes in a row; restarted");
        }
        return false;
      }
    }
    probeFailures = 0;
    lastProbeError = null;
    lastOk = clock.instant();
    return true;
  }

  /** Health as probes see it: up only when the backend is up and answered its last probe. */
  public BackendStatus health() {
    BackendStatus now = status;
    return now == BackendStatus.UP && probeFailures > 0 ? BackendStatus.DOWN : now;
  }

  /** The last error a client or operator should see: probe failure or why the backend went down, without stderr. */
  public String publicError() {
    String error = probeFailures > 0 ? lastProbeError : lastError;
    if (error == null) {
      return null;
    }
    int stderr = error.indexOf("; stderr:");
    return stderr < 0 ? error : error.substring(0, stderr);
  }

  /** Whether the first attempt to start has ended (up or failed). */
  public boolean started() {
    return firstAttempt.getCount() == 0;
  }

  private void supervise() {
    Duration backoff = INITIAL_BACKOFF;
    while (!isStopping()) {
      setStatus(BackendStatus.STARTING);
      BackendConnection c = null;
      Instant upSince = null;
      try {
        c = connect();
        if (isStopping()) {
          break;
        }
        upSince = clock.instant();
        lastOk = upSince;
        probeFailures = 0;
        lastError = null;
        generation++;
        connection = c;
        setStatus(BackendStatus.UP);
        firstAttempt.countDown();
        log.info("backend={} up: {} tools, {} prompts, {} resources{}", name(), listing.tools().size(),
            listing.prompts().size(), listing.resources().size(), c.pid() > 0 ? " (pid " + c.pid() + ")" : "");
        while (!c.awaitClosed(Duration.ofSeconds(1))) {
          if (isStopping()) {
            break;
          }
        }
        if (isStopping()) {
          break;
        }
        lastError = c.closeReason();
        log.warn("backend={} {}", name(), lastError);
      } catch (McpError | IOException | IllegalArgumentException e) {
        if (isStopping()) {
          break;
        }
        lastError = e.getMessage();
        log.warn("backend={} failed to start: {}", name(), lastError);
      } catch (InterruptedException e) {
        break;
      } finally {
        connection = null;
        ModernBackendSession session = modern;
        modern = null;
        if (session != null) {
          session.close();
        }
        if (c != null) {
          c.close();
        }
      }
      if (isStopping()) {
        break;
      }
      if (upSince != null && Duration.between(upSince, clock.instant()).compareTo(HEALTHY_RESET) >= 0) {
        backoff = INITIAL_BACKOFF;
      }
      restarts++;
      nextRestart = clock.instant().plus(backoff);
      setStatus(BackendStatus.DOWN);
      firstAttempt.countDown();
      log.info("backend={} restarting in {}", name(), Durations.text(backoff));
      try {
        if (stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        break;
      }
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
    firstAttempt.countDown();
    setStatus(BackendStatus.STOPPED);
  }

  private boolean isStopping() {
    return stopping.getCount() == 0;
  }

  private void setStatus(BackendStatus next) {
    if (status != next) {
      status = next;
      events.onChanged(this);
    }
  }

  /** Opens a transport, initializes, lists; the connection is returned ready. */
  private BackendConnection connect() throws IOException {
    if (!config.isStdio() && config.transport() != ServerConfig.Transport.SSE && !Boolean.FALSE.equals(urlIsStateless)) {
      BackendConnection stateless = connectStatelessHttp();
      if (stateless != null) {
        return stateless;
      }
    }
    Transport transport = openTransport(config.transport() == ServerConfig.Transport.SSE);
    BackendConnection c = new BackendConnection(name(), transport, new Handler());
    connecting = c;
    try {
      c.start();
      if (transport instanceof StdioTransport stdio) {
        // The era is a property of the process: asked again after every restart.
        ModernBackendSession session = ModernBackendSession.probe(name(), c, probeWait(), () -> logLevel);
        if (session != null) {
          stdio.recordDescendants();
          return useStateless(c, session);
        }
      }
      ObjectNode result;
      try {
        result = Handshake.initialize(name(), c, timeout);
      } catch (McpError e) {
        if (transport instanceof StreamableHttpTransport http && http.suggestsLegacy()
            && config.transport() == ServerConfig.Transport.AUTO) {
          log.info("backend={} refused Streamable HTTP ({}); trying the legacy HTTP+SSE transport", name(), e.getMessage());
          c.close();
          c = new BackendConnection(name(), openTransport(true), new Handler());
          connecting = c;
          if (isStopping()) {
            throw McpError.backendUnavailable("Backend '" + name() + "' is stopping");
          }
          c.start();
          result = Handshake.initialize(name(), c, timeout);
        } else {
          throw e;
        }
      }
      if (transport instanceof StdioTransport stdio) {
        stdio.recordDescendants();
      }
      c.shapeRequests(ModernBackendSession::stripStatelessMeta);
      c.notify(Methods.INITIALIZED, null);
      BackendListing fresh = new BackendListing(List.of(), List.of(), List.of(), List.of(),
          Json.objectAt(result, "capabilities"), Json.objectAt(result, "serverInfo"),
          Json.text(result, "protocolVersion"), Json.text(result, "instructions"));
      connection = c; // list calls go through call(); status is still STARTING
      fresh = listEverything(c, fresh);
      listing = fresh;
      if (fresh.capabilities() != null && fresh.capabilities().path("resources").path("subscribe").asBoolean(false)) {
        subscribeResources(c, watchedResources, Methods.RESOURCES_SUBSCRIBE); // again after a restart
      }
      String level = logLevel;
      if (level != null && fresh.capabilities() != null && fresh.capabilities().has("logging")) {
        ObjectNode params = Json.object();
        params.put("level", level);
        c.call(Methods.SET_LEVEL, params, CallContext.internal(), timeout, timeout);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      urlIsStateless = null; // the assumption may be what failed: ask again next time
      c.close();
      throw e;
    } finally {
      connecting = null;
    }
  }

  /** How long a stdio backend may take to answer the era probe before it is taken for a handshake-era server. */
  private Duration probeWait() {
    return timeout.compareTo(ModernBackendSession.PROBE_WAIT) < 0 ? timeout : ModernBackendSession.PROBE_WAIT;
  }

  /**
   * A URL backend in the stateless era: a modern POST ({@code server/discover}) first; null when the answer
   * says the handshake era (remembered for this URL until a connection fails, then asked again).
   */
  private BackendConnection connectStatelessHttp() throws IOException {
    BackendConnection c = new BackendConnection(name(),
        new ModernHttpTransport(name(), config.url(), config.headers(), maxTimeout.plusSeconds(30)), new Handler());
    connecting = c;
    try {
      c.start();
      ModernBackendSession session = ModernBackendSession.probe(name(), c, timeout, () -> logLevel);
      urlIsStateless = session != null;
      if (session == null) {
        log.info("backend={} is not a stateless-era server; using the handshake era", name());
        c.close();
        return null;
      }
      return useStateless(c, session);
    } catch (IOException | RuntimeException e) {
      urlIsStateless = null;
      c.close();
      throw e;
    } finally {
      connecting = null;
    }
  }

  /** Lists everything of a stateless-era backend and keeps its listen stream open; the connection is returned ready. */
  private BackendConnection useStateless(BackendConnection c, ModernBackendSession session) {
    c.shapeRequests(session::shape);
    BackendListing fresh = new BackendListing(List.of(), List.of(), List.of(), List.of(), session.capabilities(),
        session.serverInfo(), session.version(), Json.text(session.discovered(), "instructions"));
    connection = c; // list calls go through call(); status is still STARTING
    listing = listEverything(c, fresh);
    modern = session;
    session.watchResources(watchedResources);
    session.listen(c, this::refresh);
    log.info("backend={} speaks {} (stateless era)", name(), session.version());
    return c;
  }

  private Transport openTransport(boolean legacy) {
    if (config.isStdio()) {
      return new StdioTransport(name(), SelfLauncher.resolve(config.command()),
          ChildEnvironment.of(hubEnvironment, config.env()), config.cwd(), grace);
    }
    return legacy
        ? new LegacySseTransport(name(), config.url(), config.headers())
        : new StreamableHttpTransport(name(), config.url(), config.headers(), maxTimeout.plusSeconds(30));
  }

  /** Every page of one list; remembers the caching hint the backend gave with it. */
  private List<ObjectNode> listAll(BackendConnection c, ListKind kind) {
    Lists.Listed listed = Lists.all(name(), c, kind, timeout);
    if (listed.hint() == null) {
      listHints.remove(kind);
    } else {
      listHints.put(kind, listed.hint());
    }
    return listed.items();
  }

  /** A listing with every list the capabilities offer, fetched now. */
  private BackendListing listEverything(BackendConnection c, BackendListing fresh) {
    BackendListing listed = fresh;
    for (ListKind kind : ListKind.values()) {
      if (listed.capabilities() != null && listed.capabilities().has(kind.capability)) {
        listed = listed.with(kind, listAll(c, kind));
      }
    }
    return listed;
  }

  /** Re-lists one kind after the backend said it changed. */
  private void refresh(ListKind kind) {
    BackendConnection c = connection;
    if (c == null || c.isClosed()) {
      return;
    }
    try {
      List<ObjectNode> items = listAll(c, kind);
      synchronized (lock) {
        listing = listing.with(kind, items);
      }
      log.info("backend={} {} changed: {} items", name(), kind.field, items.size());
      events.onChanged(this);
    } catch (McpError e) {
      log.warn("backend={} could not re-list {}: {}", name(), kind.field, e.getMessage());
    }
  }

  /** Routes what the backend sends on its own. */
  private final class Handler implements BackendConnection.Handler {
    @Override
    public void onNotification(ObjectNode message, CallContext related) {
      String method = JsonRpc.method(message);
      for (ListKind kind : ListKind.values()) {
        if (kind.changedNotification.equals(method)) {
          // Both resource lists change together under one notification.
          Thread.ofVirtual().name("backend-" + name() + "-refresh").start(() -> refresh(kind));
        }
      }
      if (method.endsWith("/list_changed")) {
        return;
      }
      if (Methods.MESSAGE.equals(method)) {
        // A log line belongs to a call: the one whose stream carried it, else those in flight.
        if (related != null) {
          related.notifyClient(message);
          return;
        }
        BackendConnection c = connection;
        var contexts = c == null ? List.<CallContext>of() : c.inFlightContexts();
        if (!contexts.isEmpty()) {
          contexts.forEach(context -> context.notifyClient(message));
          return;
        }
      }
      events.onNotification(Backend.this, message);
    }

    @Override
    public JsonNode onRequest(ObjectNode request, CallContext related) {
      if (Methods.PING.equals(JsonRpc.method(request))) {
        return Json.object();
      }
      return events.onRequest(Backend.this, request, related != null ? related : soleCaller());
    }

    /**
     * Which call a request without a known origin (stdio gives none) belongs to: the one call in
     * flight, or any call of the one client that has calls in flight; null when several clients do
     * (then nobody is asked: a sampling request must never reach the wrong client).
     */
    private CallContext soleCaller() {
      BackendConnection c = connection;
      if (c == null) {
        return null;
      }
      CallContext found = null;
      for (CallContext context : c.inFlightContexts()) {
        if (context.owner() == null) {
          continue; // the hub's own calls (lists, probes) ask nobody
        }
        if (found != null && found.owner() != context.owner()) {
          return null;
        }
        found = context;
      }
      return found;
    }
  }

  /** Stops supervising and ends the connection (and the process tree) within the grace periods. */
  @Override
  public void close() {
    stopping.countDown();
    for (BackendConnection c : new BackendConnection[] {connecting, connection}) {
      if (c != null) {
        c.close();
      }
    }
    if (supervisor != null) {
      try {
        if (!supervisor.join(grace.multipliedBy(2).plusSeconds(5))) {
          log.warn("backend={} supervisor did not stop in time", name());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    status = BackendStatus.STOPPED;
  }
}
