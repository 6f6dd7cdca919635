package dev.switchboard.front;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Hub;
import dev.switchboard.access.Authenticator;
import dev.switchboard.access.Principal;
import dev.switchboard.config.HttpConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front on Helidon SE: Streamable HTTP at {@code /mcp} (both protocol eras), the legacy
 * HTTP+SSE transport at {@code /sse} + {@code /messages}, WebSocket at {@code /ws}, the health
 * endpoints, and the admin API ({@code /admin/cache}, {@code /admin/stats}, behind the admin token).
 * Every MCP endpoint checks Origin and Host (DNS rebinding), the token when users are
 * configured, and the body size. {@link #close} drains: new requests get 503, requests in flight
 * get {@code shutdown_grace} to finish, streams end, WebSockets close with 1001.
 */
public final class HttpFront implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpFront.class);

  private final Hub hub;
  private final HttpConfig http;
  private final OriginPolicy origins;
  private final HttpSessions sessions;
  private final LegacySseEndpoint legacy;
  private final WebSocketEndpoint websockets;
  private final StatelessEndpoint stateless;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("http-front-timer").unstarted(r));
  private final AtomicInteger active = new AtomicInteger();
  private final dev.switchboard.config.Listen listen;
  private final WebServer server;
  private volatile boolean draining;

  private HttpFront(Hub hub, SwitchboardConfig config) {
    this.hub = hub;
    this.http = config.http();
    this.origins = new OriginPolicy(http, config.listen());
    this.listen = config.listen();
    this.sessions = new HttpSessions(hub, http.sessionIdleTimeout());
    this.legacy = new LegacySseEndpoint(this);
    this.websockets = new WebSocketEndpoint(this);
    this.stateless = new StatelessEndpoint(this, hub.stateless());
    McpEndpoint mcp = new McpEndpoint(this, sessions, stateless);
    HealthEndpoint health = new HealthEndpoint(hub, this);
    ProtectedResource metadata = new ProtectedResource(this);
    AdminEndpoint admin = new AdminEndpoint(hub);
    this.server = WebServer.builder()
        .host(config.listen().host())
        .port(config.listen().port())
        .shutdownGracePeriod(Duration.ofMillis(500))
        .shutdownHook(false) // our hook drains first, then stops the server
        // Each SSE event is a small write: without TCP_NODELAY, Nagle holds one back until the
        // previous one is acknowledged, and a stream arrives in late pairs.
        .connectionOptions(options -> options.tcpNoDelay(true))
        .routing(routing(mcp, health, admin).get(ProtectedResource.PATH, metadata::serve)
            .get(ProtectedResource.PATH + "/mcp", metadata::serve))
        .addRouting(WsRouting.builder().endpoint("/ws", websockets::listener))
        .build();
  }

  private HttpRouting.Builder routing(McpEndpoint mcp, HealthEndpoint health, AdminEndpoint admin) {
    return HttpRouting.builder()
        .post("/mcp", (req, res) -> counted(req, res, mcp::post))
        .get("/mcp", mcp::get)
        .delete("/mcp", (req, res) -> counted(req, res, mcp::delete))
        .any("/mcp", mcp::other)
        .get("/sse", legacy::stream)
        .post("/messages", (req, res) -> counted(req, res, legacy::post))
        .get("/health", health::full)
        .get("/health/live", health::live)
        .get("/health/ready", health::ready)
        .delete("/admin/cache", admin::dropCache)
        .get("/admin/stats", admin::stats)
        .post("/admin/reload", admin::reload);
  }

  /** Starts listening; returns once the port is bound. */
  public static HttpFront start(Hub hub, SwitchboardConfig config) {
    HttpFront front = new HttpFront(hub, config);
    front.server.start();
    long every = Math.max(1000, Math.min(60_000, config.http().sessionIdleTimeout().toMillis() / 4));
    front.timer.scheduleWithFixedDelay(front.sessions::reap, every, every, TimeUnit.MILLISECONDS);
    long ping = config.http().keepalive().toMillis();
    front.timer.scheduleWithFixedDelay(front.websockets::keepAlive, ping, ping, TimeUnit.MILLISECONDS);
    log.info("listening on http://{}:{} (/mcp, /sse, /ws, /health)", config.listen().host(), front.port());
    return front;
  }

  /** The bound port (useful with {@code listen: 127.0.0.1:0}). */
  public int port() {
    return server.port();
  }

  Hub hub() {
    return hub;
  }

  /** The authenticator in force (a config reload replaces it). */
  Authenticator authenticator() {
    return hub.access().authenticator();
  }

  OriginPolicy origins() {
    return origins;
  }

  Duration keepalive() {
    return http.keepalive();
  }

  boolean draining() {
    return draining;
  }

  int httpSessions() {
    return sessions.size();
  }

  int webSockets() {
    return websockets.size();
  }

  private interface Handler {
    void handle(ServerRequest req, ServerResponse res);
  }

  private void counted(ServerRequest req, ServerResponse res, Handler handler) {
    active.incrementAndGet();
    try {
      handler.handle(req, res);
    } finally {
      active.decrementAndGet();
    }
  }

  /**
   * The checks every MCP endpoint makes first: not shutting down, Origin and Host allowed, a valid
   * token when users are configured. Returns the principal, or null after answering the refusal.
   */
  Principal admit(ServerRequest req, ServerResponse res) {
    if (draining) {
      HttpReplies.error(res, Status.SERVICE_UNAVAILABLE_503, McpError.backendUnavailable("the hub is shutting down"));
      return null;
    }
    String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
    if (!origins.originAllowed(origin)) {
      HttpReplies.error(res, Status.FORBIDDEN_403, McpError.invalidRequest("Origin '" + origin + "' is not allowed"
          + " (add it to http.allowed_origins to allow it)"));
      return null;
    }
    String host = req.headers().first(HeaderNames.HOST).orElse(null);
    if (!origins.hostAllowed(host)) {
      HttpReplies.error(res, Status.FORBIDDEN_403, McpError.invalidRequest("Host '" + host + "' is not allowed"
          + " (add it to http.allowed_hosts to allow it)"));
      return null;
    }
    String token = Authenticator.bearer(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
    Authenticator.Result result = authenticator().authenticate(token);
    if (!result.ok()) {
      // RFC 6750 and RFC 9728: say where the protected-resource metadata is; name the error only
      // when a token was presented.
      String metadata = "resource_metadata=\"" + baseUrl(host) + ProtectedResource.PATH + "/mcp\"";
      res.header(HeaderNames.WWW_AUTHENTICATE, token == null ? "Bearer " + metadata
          : "Bearer " + metadata + ", error=\"invalid_token\", error_description=\"" + quoted(result.failure()) + "\"");
      HttpReplies.error(res, Status.UNAUTHORIZED_401, McpError.invalidRequest("Unauthorized: " + result.failure()));
      return null;
    }
    Principal principal = result.principal();
    List<String> missing = missingForEndpoint(principal);
    if (!missing.isEmpty()) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"" + String.join(" ", missing) + "\"");
      HttpReplies.error(res, Status.FORBIDDEN_403, McpError.invalidRequest("Forbidden: principal '" + principal.name()
          + "' lacks " + String.join(", ", missing) + ", which auth.requires for the MCP endpoints"));
      return null;
    }
    return principal;
  }

  /** The capabilities of {@code auth.requires} a principal lacks (empty: it may use the endpoints). */
  List<String> missingForEndpoint(Principal principal) {
    if (principal.unrestricted()) {
      return List.of();
    }
    return hub.access().endpointRequires().stream().filter(c -> !principal.capabilities().contains(c)).toList();
  }

  /** http://HOST[:PORT] as the client addressed the hub (the Host header was checked before). */
  String baseUrl(String host) {
    return "http://" + (host == null || host.isBlank() ? listen.host() + ":" + port() : host);
  }

  private static String quoted(String text) {
    return text.replace("\\", "\\\\").replace("\"", "'");
  }

  /** Reads the body as one JSON value within {@code http.max_body}; null after answering 413 or 400. */
  JsonNode readJson(ServerRequest req, ServerResponse res) {
    long max = http.maxBody();
    long declared = req.headers().contentLength().orElse(-1L);
    if (declared > max) {
      HttpReplies.error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, McpError.invalidRequest(
          "request body of " + declared + " bytes is over the limit of " + max + " bytes (http.max_body)"));
      return null;
    }
    byte[] body;
    try (InputStream in = req.content().inputStream()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (body.length > max) {
        HttpReplies.error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, McpError.invalidRequest(
            "request body is over the limit of " + max + " bytes (http.max_body)"));
        return null;
      }
    } catch (IOException | RuntimeException e) {
      HttpReplies.error(res, Status.BAD_REQUEST_400, McpError.parseError("could not read the body: " + e.getMessage()));
      return null;
    }
    try {
      return Json.parse(body, 0, body.length);
    } catch (McpError e) {
      HttpReplies.error(res, Status.BAD_REQUEST_400, e);
      return null;
    }
  }

  /** Whether an Accept header value admits a media type ({@code *}{@code /*} and {@code type/*} count). */
  static boolean accepts(String accept, String mediaType) {
    String wanted = mediaType.toLowerCase(Locale.ROOT);
    String family = wanted.substring(0, wanted.indexOf('/')) + "/*";
    for (String part : accept.toLowerCase(Locale.ROOT).split(",")) {
      String type = part.split(";")[0].trim();
      if (type.equals(wanted) || type.equals("*/*") || type.equals(family)) {
        return true;
      }
    }
    return false;
  }

  /** Stops accepting, drains, ends streams and WebSockets, stops the server. Does not close the hub. */
  @Override
  public void close() {
    if (draining) {
      return;
    }
    draining = true;
    stateless.endAll(); // listen streams would otherwise hold the drain for its whole grace period
    long deadline = System.nanoTime() + hub.config().hub().shutdownGrace().toNanos();
    while (active.get() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      try {
        Thread.sleep(20); // main code: polling the in-flight count during shutdown
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (active.get() > 0) {
      log.info("{} request(s) still running after shutdown_grace; closing anyway", active.get());
    }
    try {
      websockets.awaitIdle(deadline); // WebSocket calls in flight get the same grace
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sessions.endAll();
    legacy.endAll();
    websockets.closeAll(1001, "Going away");
    server.stop();
    timer.shutdownNow();
    log.info("HTTP front stopped");
  }
}
