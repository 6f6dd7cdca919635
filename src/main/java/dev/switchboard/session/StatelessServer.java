package dev.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Access;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.ListKind;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.CacheHint;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolVersion;
import dev.switchboard.protocol.Version;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the stateless era (2026-07-28) for every front: each request stands alone, with its version,
 * client info and capabilities in {@code _meta}. It answers {@code server/discover}, refuses the
 * methods this era removed, opens {@code subscriptions/listen} streams, and runs everything else
 * through a {@link Session} made for that one request (so the principal's view, routing and the
 * pipeline are the handshake era's), then marks the result: {@code resultType}, the hub's
 * {@code serverInfo}, and caching hints on cacheable results.
 *
 * <p>Transport rules (HTTP headers, statuses, streams) belong to the fronts. Thread-safe.
 */
public final class StatelessServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatelessServer.class);
  /** Methods of the handshake era that this era removed: answered "method not found" (HTTP 404). */
  static final Set<String> REMOVED = Set.of(Methods.INITIALIZE, Methods.PING, Methods.SET_LEVEL,
      Methods.RESOURCES_SUBSCRIBE, Methods.RESOURCES_UNSUBSCRIBE);

  private final HubServices hub;
  private final Duration resultTtl;
  private final BooleanSupplier privateScope;
  private final Function<ListKind, CacheHint> backendListHints;
  private final Consumer<Set<String>> resourceInterest;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final InputBridge bridge;
  private final ObjectNode serverInfo = serverInfo();
  private volatile boolean closed;

  /**
   * @param resultTtl the {@code ttlMs} of results the hub itself answers for (lists, discovery)
   * @param privateScope true while access control is configured (read per answer: a reload may turn it on): views
   *     differ per principal, so results are private
   * @param backendListHints per kind, the strictest hint the backends gave for their lists (null when none did)
   * @param resourceInterest told the URIs open subscriptions want updates of, whenever that set changes (the
   *     hub subscribes at the backends); called on a thread that may block briefly
   */
  public StatelessServer(HubServices hub, Duration resultTtl, BooleanSupplier privateScope,
      Function<ListKind, CacheHint> backendListHints, Consumer<Set<String>> resourceInterest) {
    this.hub = hub;
    this.resultTtl = resultTtl;
    this.privateScope = privateScope;
    this.backendListHints = backendListHints;
    this.resourceInterest = resourceInterest;
    this.bridge = new InputBridge(hub.settings().maxRequestTimeout());
  }

  private static ObjectNode serverInfo() {
    ObjectNode info = Json.object();
    info.put("name", "switchboard");
    info.put("title", "Switchboard MCP hub");
    info.put("version", Version.current());
    return info;
  }

  /**
   * Checks the request's protocol version (after its {@code _meta} was read and, on HTTP, its headers matched).
   *
   * @throws McpError {@code -32022} listing the versions the hub speaks
   */
  public void checkVersion(RequestMeta meta) {
    String version = meta.protocolVersion();
    if (ProtocolVersion.isStateless(version)) {
      return;
    }
    String detail = ProtocolVersion.isSupported(version)
        ? version + " is a handshake-era version: send initialize to use it, or use " + ProtocolVersion.LATEST_STATELESS
            + " on every request"
        : version + " is not spoken here; supported: " + String.join(", ", ProtocolVersion.ALL);
    throw McpError.unsupportedProtocolVersion(version, ProtocolVersion.ALL, detail);
  }

  /**
   * Serves one request that passed {@link #checkVersion}; not {@code subscriptions/listen} (see {@link #listen}).
   * Notifications for it (progress; log messages only at or above the request's {@code logLevel}) go to
   * {@code stream}; {@code respond} gets the response once, possibly later from a backend thread, or null
   * when the request was cancelled. Neither may block for long.
   *
   * @return cancels the request (the client went away): the backend is told, and {@code respond} gets null
   */
  public Runnable serve(Principal principal, ObjectNode request, RequestMeta meta, Consumer<ObjectNode> stream,
      Consumer<ObjectNode> respond) {
    String method = JsonRpc.method(request);
    JsonNode id = request.get("id");
    if (Methods.SUBSCRIPTIONS_LISTEN.equals(method)) {
      throw new IllegalArgumentException("subscriptions/listen is opened with listen(), not serve()");
    }
    log.debug("stateless {} id={} from {} as principal '{}'", method, id, meta.clientName(), principal.name());
    if (REMOVED.contains(method)) {
      respond.accept(JsonRpc.error(id, new McpError(McpError.METHOD_NOT_FOUND, "Method not found: " + method
          + " (removed in protocol version " + ProtocolVersion.LATEST_STATELESS + ")")));
      return () -> {};
    }
    if (Methods.SERVER_DISCOVER.equals(method)) {
      respond.accept(JsonRpc.result(id, discover()));
      return () -> {};
    }
    Consumer<ObjectNode> filtered = notification -> {
      if (!Methods.MESSAGE.equals(JsonRpc.method(notification)) || meta.admitsLog(notification)) {
        stream.accept(notification);
      }
    };
    Consumer<ObjectNode> marked = response -> respond.accept(response == null ? null : mark(method, response));
    String target = BRIDGED.get(method) == null ? null : Json.text(JsonRpc.params(request), BRIDGED.get(method));
    if (target == null) {
      Session session = new Session(hub, principal, message -> {});
      session.adoptStatelessClient(meta, null);
      session.serve(request, filtered, marked);
      return session::close;
    }
    // tools/call, prompts/get, resources/read: a handshake-era backend's questions become input_required.
    if (InputBridge.isHubState(JsonRpc.params(request).get("requestState"))) {
      InputBridge.Call resumed = bridge.resume(principal, method, target, request, marked, filtered);
      return () -> {
        if (resumed != null) {
          resumed.abandon("went away");
        }
      };
    }
    InputBridge.Call call = bridge.open(principal, method, target, id, marked, filtered);
    Session session = new Session(hub, principal, message -> {});
    session.adoptStatelessClient(meta, call::ask);
    call.onCancel(session::close);
    session.serve(request, call::notifyClient, call::finish);
    return () -> call.abandon("went away");
  }

  /** The methods whose backend questions are bridged, with the field naming their target. */
  private static final Map<String, String> BRIDGED = Map.of(Methods.TOOLS_CALL, "name", Methods.PROMPTS_GET, "name",
      Methods.RESOURCES_READ, "uri");

  /** The answer to {@code server/discover}: every version the hub speaks, its capabilities and identity. */
  ObjectNode discover() {
    ObjectNode result = Json.object();
    result.put("resultType", "complete");
    ArrayNode versions = result.putArray("supportedVersions");
    ProtocolVersion.ALL.forEach(versions::add);
    ObjectNode capabilities = hub.capabilities().deepCopy();
    if (capabilities.get("resources") instanceof ObjectNode resources) {
      resources.put("subscribe", true); // resourceSubscriptions on a listen stream (the handshake era's RPC is gone)
    }
    result.set("capabilities", capabilities);
    String instructions = hub.instructions();
    if (instructions != null) {
      result.put("instructions", instructions);
    }
    result.putObject("_meta").set(MetaKeys.SERVER_INFO, serverInfo);
    new CacheHint(resultTtl.toMillis(), privateScope.getAsBoolean()).applyTo(result);
    return result;
  }

  /** Marks a response for this era: {@code resultType}, {@code serverInfo}, caching hints; error codes of this era. */
  private ObjectNode mark(String method, ObjectNode response) {
    JsonNode error = response.get("error");
    if (error instanceof ObjectNode errorObject && errorObject.path("code").asInt() == McpError.RESOURCE_NOT_FOUND) {
      // -32002 belongs to earlier versions; this one says "invalid params" for a resource that does not exist.
      ObjectNode copy = response.deepCopy();
      ((ObjectNode) copy.get("error")).put("code", McpError.INVALID_PARAMS);
      return copy;
    }
    if (!(response.get("result") instanceof ObjectNode original)) {
      return response;
    }
    ObjectNode result = Json.object(); // a shallow copy: the original may be shared (a cache, the catalog)
    result.setAll(original);
    if (!result.has("resultType")) {
      result.put("resultType", "complete");
    }
    ObjectNode meta = Json.object();
    if (original.get("_meta") instanceof ObjectNode backendMeta) {
      meta.setAll(backendMeta);
    }
    meta.set(MetaKeys.SERVER_INFO, serverInfo);
    result.set("_meta", meta);
    if ("complete".equals(result.path("resultType").asText())) {
      CacheHint hint = cacheHint(method, original);
      if (hint != null) {
        hint.applyTo(result);
      }
    }
    ObjectNode marked = Json.object();
    marked.setAll(response);
    marked.set("result", result);
    return marked;
  }

  /**
   * The hints of a cacheable result, or null for other methods. Lists are the hub's own answers: the
   * configured TTL, unless a backend asked for less. A resource is the backend's: its own hints, and
   * none (0 ms) from a handshake-era backend, whose freshness the hub cannot know.
   */
  private CacheHint cacheHint(String method, ObjectNode result) {
    CacheHint hub = new CacheHint(resultTtl.toMillis(), privateScope.getAsBoolean());
    return switch (method) {
      case Methods.TOOLS_LIST -> hub.and(backendListHints.apply(ListKind.TOOLS));
      case Methods.PROMPTS_LIST -> hub.and(backendListHints.apply(ListKind.PROMPTS));
      case Methods.RESOURCES_LIST -> hub.and(backendListHints.apply(ListKind.RESOURCES));
      case Methods.RESOURCE_TEMPLATES_LIST -> hub.and(backendListHints.apply(ListKind.RESOURCE_TEMPLATES));
      case Methods.RESOURCES_READ -> {
        CacheHint own = CacheHint.of(result);
        yield hub.and(own == null ? new CacheHint(0, false) : own);
      }
      default -> null;
    };
  }

  /**
   * Opens a subscription for a {@code subscriptions/listen} request that passed {@link #checkVersion}: the
   * acknowledgment goes to {@code out} before this returns, list changes after. The caller ends it with
   * {@link Subscription#cancel} when the client goes away; {@link #close} ends it gracefully.
   *
   * @throws McpError {@code -32602} for a malformed {@code notifications} filter
   */
  public Subscription listen(Principal principal, ObjectNode request, RequestMeta meta, Consumer<ObjectNode> out) {
    return listen(principal, null, request, meta, out);
  }

  /**
   * As {@link #listen(Principal, ObjectNode, RequestMeta, Consumer)}, for a stream whose principal
   * follows the access rules rather than its token: {@code rebind} gives who it runs as after a
   * reload (stdio: whoever {@code stdio.user} names now), null when the rules no longer admit it.
   */
  public Subscription listen(Principal principal, Function<Access, Principal> rebind, ObjectNode request, RequestMeta meta,
      Consumer<ObjectNode> out) {
    SubscriptionFilter filter = SubscriptionFilter.of(JsonRpc.params(request).get("notifications")).honoured(true);
    if (closed) {
      throw McpError.backendUnavailable("the hub is shutting down");
    }
    hub.awaitStartup();
    Subscription[] self = new Subscription[1];
    Runnable[] expiry = new Runnable[1];
    Subscription subscription = new Subscription(request.get("id"), principal, rebind, filter, hub, serverInfo, out, () -> {
      if (expiry[0] != null) {
        expiry[0].run();
      }
      if (subscriptions.remove(self[0]) && !self[0].filter().resourceUris().isEmpty()) {
        resourceInterest.accept(wantedResources());
      }
    });
    self[0] = subscription;
    subscriptions.add(subscription);
    if (!filter.resourceUris().isEmpty()) {
      resourceInterest.accept(wantedResources());
    }
    subscription.start(hub.catalog());
    // A stream must not outlive the token that opened it (each stateless request is checked on its own);
    // armed after the acknowledgment, so an error, if any, comes after it.
    expiry[0] = hub.whenTokenExpires(principal, subscription::tokenExpired);
    log.debug("subscription {} opened by {} as principal '{}': {}", request.get("id"), meta.clientName(), principal.name(),
        filter.toJson());
    return subscription;
  }

  /** The access rules were reloaded: every subscription re-checks its principal. Called by the hub. */
  public void accessChanged(Access access) {
    for (Subscription subscription : subscriptions) {
      subscription.accessChanged(access);
    }
  }

  /** The catalog changed: every subscription compares its views. Called by the hub. */
  public void catalogChanged(CatalogSnapshot snapshot) {
    for (Subscription subscription : subscriptions) {
      subscription.catalogChanged(snapshot);
    }
  }

  /** A resource the catalog exposes under {@code uri} changed ({@code entry}: its listing, or null). Called by the hub. */
  public void resourceUpdated(String uri, dev.switchboard.catalog.CatalogEntry entry) {
    for (Subscription subscription : subscriptions) {
      subscription.resourceUpdated(uri, entry);
    }
  }

  /** Every resource URI some open subscription wants updates of. */
  public Set<String> wantedResources() {
    Set<String> uris = new java.util.TreeSet<>();
    for (Subscription subscription : subscriptions) {
      uris.addAll(subscription.filter().resourceUris());
    }
    return uris;
  }

  public int subscriptionCount() {
    return subscriptions.size();
  }

  /** Ends every subscription gracefully (a final result each); no new ones open. */
  @Override
  public void close() {
    closed = true;
    for (Subscription subscription : List.copyOf(subscriptions)) {
      subscription.end();
    }
    bridge.close();
  }
}
