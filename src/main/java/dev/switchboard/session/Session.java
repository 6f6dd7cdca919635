package dev.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Access;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.CallContext;
import dev.switchboard.backend.ListKind;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.Pages;
import dev.switchboard.jsonrpc.Futures;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.pipeline.AuthorizeStep;
import dev.switchboard.pipeline.Reply;
import dev.switchboard.pipeline.Request;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolVersion;
import dev.switchboard.protocol.Version;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's conversation with the hub: its principal, negotiated version, view of the catalog,
 * requests in flight (for cancellation) and log level. Fronts hand it messages; it answers through
 * the sink it was opened with. Requests run concurrently; the sink must be thread-safe.
 */
public final class Session implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> LOG_LEVELS =
      List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

  private final HubServices hub;
  private final String id;
  private volatile Principal principal;
  /** How a config reload re-checks this client (null: by its principal's source); and what ends its connection. */
  private volatile Function<Access, Principal> recheck;
  private volatile Runnable revoked = () -> {};
  private final Consumer<ObjectNode> out;
  /** How this client is asked things, when not by requests on its stream (the stateless era's input_required). */
  private volatile CallContext.ClientRequests asker;
  /** Requests of the hub's to this client (sampling, elicitation, roots), by id. */
  private final Map<String, CompletableFuture<JsonNode>> clientRequests = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong clientRequestIds = new java.util.concurrent.atomic.AtomicLong();
  /** Requests being served, by the JSON text of their id (so 1 and "1" differ, as JSON-RPC says). */
  private final Map<String, CallContext> inFlight = new ConcurrentHashMap<>();
  private final Map<ListKind, List<CatalogEntry>> lastView = new EnumMap<>(ListKind.class);
  private volatile String protocolVersion;
  private volatile ObjectNode clientCapabilities = Json.object();
  private volatile ObjectNode clientInfo;
  private volatile boolean initialized;
  private volatile boolean startupAwaited;
  private volatile int logLevel = -1;
  private volatile boolean closed;
  /** Requests received and not yet answered (counted before their thread starts). */
  private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

  public Session(HubServices hub, Principal principal, Consumer<ObjectNode> out) {
    this.hub = hub;
    this.principal = principal;
    this.out = out;
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    this.id = HexFormat.of().formatHex(bytes);
  }

  /**
   * Takes the client's identity and capabilities from a stateless-era request's {@code _meta}
   * (there is no initialize) and how to ask it things (through input_required results).
   */
  void adoptStatelessClient(RequestMeta meta, CallContext.ClientRequests asker) {
    protocolVersion = meta.protocolVersion();
    clientCapabilities = meta.clientCapabilities() == null ? Json.object() : meta.clientCapabilities();
    clientInfo = meta.clientInfo();
    this.asker = asker;
  }

  /** A cryptographically random id, also usable as an HTTP session id. */
  public String id() {
    return id;
  }

  public Principal principal() {
    return principal;
  }

  /**
   * How this client is re-checked when the access rules are reloaded, instead of by its principal's
   * source ({@link Access#refresh}): the stdio front re-reads {@code stdio.user}. {@code revoked}
   * ends the client's connection when the new rules no longer admit it.
   */
  public void onAccessChange(Function<Access, Principal> recheck, Runnable revoked) {
    this.recheck = recheck;
    this.revoked = revoked == null ? () -> {} : revoked;
  }

  /**
   * The principal's credential expired (a JWT's {@code exp}): the connection and the session end as
   * if the token had been refused; in-flight requests are cancelled.
   */
  public void expired() {
    if (!closed) {
      refuse("its token expired");
    }
  }

  /** Ends the client's connection (the front's callback) and the session, saying why in the log. */
  private void refuse(String why) {
    log.info("session {} of principal '{}' ended: {}", id, principal.name(), why);
    revoked.run();
    close();
  }

  /**
   * New access rules: takes the principal they give this client (its view is compared on the next
   * {@link #catalogChanged}), or, when they no longer admit it, ends the connection and the session.
   *
   * @return false when the session was ended
   */
  public boolean accessChanged(Access access) {
    Function<Access, Principal> rule = recheck;
    Principal next = rule != null ? rule.apply(access) : access.refresh(principal);
    if (next == null) {
      refuse("the reloaded config no longer admits it");
      return false;
    }
    principal = next;
    return true;
  }

  public String protocolVersion() {
    return protocolVersion;
  }

  public ObjectNode clientCapabilities() {
    return clientCapabilities;
  }

  public ObjectNode clientInfo() {
    return clientInfo;
  }

  /**
   * Takes one raw message (a stdio line, a WebSocket frame). Malformed input is answered with an
   * error and changes nothing else; requests run on their own virtual threads.
   */
  public void receive(byte[] raw) {
    JsonNode message;
    try {
      message = Json.parse(raw, 0, raw.length);
    } catch (McpError e) {
      out.accept(JsonRpc.error(NullNode.instance, e));
      return;
    }
    receive(message);
  }

  /**
   * Takes one parsed message. A request is answered through the sink, now or later: a backend's
   * answer is written from the backend's reader thread, with no hand-off. This may block the calling
   * thread for a while (the first catalog request waits for backends still starting, a write to a
   * busy backend waits for it), so fronts call it from a thread that may block.
   */
  public void receive(JsonNode message) {
    JsonRpc.Kind kind;
    try {
      kind = JsonRpc.classify(message);
    } catch (McpError e) {
      out.accept(JsonRpc.error(JsonRpc.idOf(message), e));
      return;
    }
    ObjectNode object = (ObjectNode) message;
    switch (kind) {
      case REQUEST -> {
        running.incrementAndGet();
        serve(object, out, response -> {
          try {
            if (response != null) {
              out.accept(response);
            }
          } finally {
            if (running.decrementAndGet() == 0) {
              synchronized (running) {
                running.notifyAll();
              }
            }
          }
        });
      }
      case NOTIFICATION -> notification(object);
      case RESPONSE -> response(object);
    }
  }

  /**
   * Answers one request, blocking. Notifications produced while serving it (progress, logs) go to
   * {@code stream}. Returns the response, or null when the client cancelled the request.
   */
  public ObjectNode request(ObjectNode message, Consumer<ObjectNode> stream) {
    CompletableFuture<ObjectNode> response = new CompletableFuture<>();
    serve(message, stream, response::complete);
    return Futures.await(response);
  }

  /**
   * Serves one request without blocking on its backend: notifications produced while serving it go
   * to {@code stream}, and {@code respond} gets the response exactly once (null when the client
   * cancelled it), possibly later and from a backend thread; neither may block for long.
   */
  public void serve(ObjectNode message, Consumer<ObjectNode> stream, Consumer<ObjectNode> respond) {
    JsonNode requestId = message.get("id");
    String method = JsonRpc.method(message);
    ObjectNode params = JsonRpc.params(message);
    JsonNode token = Json.objectAt(params, "_meta") == null ? null : params.get("_meta").get("progressToken");
    CallContext context = new CallContext(this, token == null || token.isNull() ? null : token, notification -> {
      if (passesLogLevel(notification)) {
        stream.accept(notification);
      }
    }, (clientMethod, clientParams) -> requestClient(clientMethod, clientParams, stream));
    String key = JsonRpc.idKey(requestId);
    if (inFlight.putIfAbsent(key, context) != null) {
      respond.accept(JsonRpc.error(requestId, McpError.invalidRequest("request id " + requestId + " is already in use")));
      return;
    }
    CompletableFuture<JsonNode> result;
    try {
      result = dispatch(method, params, context).result();
    } catch (McpError e) {
      result = CompletableFuture.failedFuture(e);
    } catch (AuthorizeStep.Denied denied) {
      result = CompletableFuture.failedFuture(denied.error()); // the same answer as for a name nobody owns
    } catch (RuntimeException e) {
      log.error("session={} {} failed in the hub", shortId(), method, e);
      result = CompletableFuture.failedFuture(McpError.internal(method + " failed: " + e.getClass().getSimpleName()));
    }
    result.whenComplete((value, failure) -> {
      inFlight.remove(key, context);
      if (context.isCancelled()) {
        respond.accept(null);
      } else if (failure != null) {
        respond.accept(JsonRpc.error(requestId, Futures.unwrap(failure)));
      } else {
        respond.accept(JsonRpc.result(requestId, value));
      }
    });
  }

  private Reply dispatch(String method, ObjectNode params, CallContext context) {
    return switch (method) {
      case Methods.TOOLS_CALL -> call(ListKind.TOOLS, method, "name", params, context);
      case Methods.PROMPTS_GET -> call(ListKind.PROMPTS, method, "name", params, context);
      case Methods.RESOURCES_READ, Methods.RESOURCES_SUBSCRIBE, Methods.RESOURCES_UNSUBSCRIBE ->
          call(ListKind.RESOURCES, method, "uri", params, context);
      case Methods.COMPLETE -> complete(params, context);
      case Methods.INITIALIZE -> Reply.of(initialize(params));
      case Methods.PING -> hub.ping();
      case Methods.SET_LEVEL -> Reply.of(setLevel(params));
      case Methods.TOOLS_LIST -> Reply.of(list(ListKind.TOOLS, params));
      case Methods.PROMPTS_LIST -> Reply.of(list(ListKind.PROMPTS, params));
      case Methods.RESOURCES_LIST -> Reply.of(list(ListKind.RESOURCES, params));
      case Methods.RESOURCE_TEMPLATES_LIST -> Reply.of(list(ListKind.RESOURCE_TEMPLATES, params));
      default -> throw McpError.methodNotFound(method);
    };
  }

  private JsonNode initialize(ObjectNode params) {
    String requested = Json.text(params, "protocolVersion");
    if (requested == null) {
      throw McpError.invalidParams("initialize needs \"protocolVersion\" (a string)");
    }
    protocolVersion = ProtocolVersion.negotiate(requested);
    ObjectNode capabilities = Json.objectAt(params, "capabilities");
    clientCapabilities = capabilities == null ? Json.object() : capabilities;
    clientInfo = Json.objectAt(params, "clientInfo");
    log.info("session={} initialize from {} (asked {}, speaking {})", shortId(),
        clientInfo == null ? "an unnamed client" : Json.text(clientInfo, "name"), requested, protocolVersion);
    ObjectNode result = Json.object();
    result.put("protocolVersion", protocolVersion);
    result.set("capabilities", hub.capabilities());
    ObjectNode info = result.putObject("serverInfo");
    info.put("name", "switchboard");
    info.put("title", "Switchboard MCP hub");
    info.put("version", Version.current());
    String instructions = hub.instructions();
    if (instructions != null) {
      result.put("instructions", instructions);
    }
    return result;
  }

  private JsonNode setLevel(ObjectNode params) {
    String level = Json.text(params, "level");
    int index = level == null ? -1 : LOG_LEVELS.indexOf(level);
    if (index < 0) {
      throw McpError.invalidParams("logging/setLevel needs \"level\", one of " + String.join(", ", LOG_LEVELS));
    }
    logLevel = index;
    hub.setLogLevel(level);
    return Json.object();
  }

  private boolean passesLogLevel(ObjectNode notification) {
    int threshold = logLevel;
    if (threshold < 0 || !Methods.MESSAGE.equals(JsonRpc.method(notification))) {
      return true;
    }
    String level = Json.text(JsonRpc.params(notification), "level");
    return level == null || LOG_LEVELS.indexOf(level) >= threshold;
  }

  /** The first request that needs the catalog waits (briefly) for backends still on their first start. */
  private void awaitStartupOnce() {
    if (!startupAwaited) {
      hub.awaitStartup();
      startupAwaited = true;
    }
  }

  private JsonNode list(ListKind kind, ObjectNode params) {
    awaitStartupOnce();
    JsonNode cursorNode = params.get("cursor");
    if (cursorNode != null && !cursorNode.isNull() && !cursorNode.isTextual()) {
      throw McpError.invalidParams("\"cursor\" must be a string");
    }
    List<CatalogEntry> view = view(hub.catalog(), kind);
    synchronized (lastView) {
      lastView.put(kind, view);
    }
    Pages.Page page = Pages.page(view, cursorNode == null || cursorNode.isNull() ? null : cursorNode.textValue(),
        hub.settings().pageSize());
    ObjectNode result = Json.object();
    ArrayNode items = result.putArray(kind.field);
    page.items().forEach(entry -> items.add(entry.definition()));
    if (page.nextCursor() != null) {
      result.put("nextCursor", page.nextCursor());
    }
    return result;
  }

  private List<CatalogEntry> view(CatalogSnapshot snapshot, ListKind kind) {
    List<CatalogEntry> all = snapshot.list(kind);
    if (principal.unrestricted()) {
      return all;
    }
    List<CatalogEntry> visible = new ArrayList<>(all.size());
    for (CatalogEntry entry : all) {
      if (hub.visible(principal, kind, entry)) {
        visible.add(entry);
      }
    }
    return List.copyOf(visible);
  }

  private Reply call(ListKind kind, String method, String field, ObjectNode params, CallContext context) {
    JsonNode target = params.get(field);
    if (target == null || !target.isTextual() || target.textValue().isEmpty()) {
      throw McpError.invalidParams(method + " needs \"" + field + "\" (a non-empty string)");
    }
    JsonNode arguments = params.get("arguments");
    if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
      throw McpError.invalidParams(method + " \"arguments\" must be an object");
    }
    awaitStartupOnce();
    return hub.execute(new Request(principal, method, kind, target.textValue(), params, context, null));
  }

  /** completion/complete goes to the owner of the prompt or resource template it refers to. */
  private Reply complete(ObjectNode params, CallContext context) {
    awaitStartupOnce();
    ObjectNode ref = Json.objectAt(params, "ref");
    String type = Json.text(ref, "type");
    if ("ref/prompt".equals(type) && Json.text(ref, "name") != null) {
      return hub.execute(new Request(principal, Methods.COMPLETE, ListKind.PROMPTS, Json.text(ref, "name"), params, context, null));
    }
    if ("ref/resource".equals(type) && Json.text(ref, "uri") != null) {
      return hub.execute(new Request(principal, Methods.COMPLETE, ListKind.RESOURCE_TEMPLATES, Json.text(ref, "uri"), params,
          context, null));
    }
    throw McpError.invalidParams("completion/complete needs \"ref\": {type: ref/prompt, name} or {type: ref/resource, uri}");
  }

  /**
   * Asks this client something on behalf of a backend call (sampling, elicitation, roots), on the
   * call's own stream, with an id of the hub's; fails at once when the client did not declare the
   * capability the method needs.
   */
  private CompletableFuture<JsonNode> requestClient(String method, ObjectNode params, Consumer<ObjectNode> via) {
    CallContext.ClientRequests bridge = asker;
    String capability = switch (method) {
      case Methods.SAMPLING_CREATE -> "sampling";
      case Methods.ELICITATION_CREATE -> "elicitation";
      case Methods.ROOTS_LIST -> "roots";
      default -> null;
    };
    if (capability != null && !clientCapabilities.has(capability)) {
      return CompletableFuture.failedFuture(new McpError(McpError.METHOD_NOT_FOUND, "Method not found: " + method
          + " (the client did not declare the '" + capability + "' capability)"));
    }
    if (closed) {
      return CompletableFuture.failedFuture(McpError.backendUnavailable("the client has disconnected"));
    }
    if (bridge != null) {
      return bridge.request(method, params); // a stateless-era client: asked through an input_required result
    }
    String requestId = "sb-" + shortId() + "-" + clientRequestIds.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    clientRequests.put(requestId, answer);
    answer.whenComplete((value, failure) -> clientRequests.remove(requestId));
    via.accept(JsonRpc.request(Json.MAPPER.getNodeFactory().textNode(requestId), method, params));
    return answer.orTimeout(hub.settings().maxRequestTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** A client's answer to a request of the hub's. */
  private void response(ObjectNode message) {
    JsonNode responseId = message.get("id");
    CompletableFuture<JsonNode> waiting = responseId == null || !responseId.isTextual() ? null
        : clientRequests.get(responseId.textValue());
    if (waiting == null) {
      log.debug("session={} sent a response to id {} that nothing waits for", shortId(), responseId);
      return;
    }
    JsonNode error = message.get("error");
    if (error != null) {
      waiting.completeExceptionally(McpError.fromJson(error));
    } else {
      waiting.complete(message.has("result") ? message.get("result") : Json.object());
    }
  }

  private void notification(ObjectNode message) {
    String method = JsonRpc.method(message);
    switch (method) {
      case Methods.INITIALIZED -> initialized = true;
      case Methods.CANCELLED -> {
        JsonNode requestId = JsonRpc.params(message).get("requestId");
        CallContext context = requestId == null ? null : inFlight.get(JsonRpc.idKey(requestId));
        if (context != null) {
          String reason = Json.text(JsonRpc.params(message), "reason");
          log.debug("session={} cancelled request {}", shortId(), requestId);
          context.cancel(reason == null ? "cancelled by the client" : reason);
        }
      }
      default -> log.debug("session={} notification {} ignored", shortId(), method);
    }
  }

  /** Called by the hub after a catalog change: sends list_changed for each kind whose view changed. */
  public void catalogChanged(CatalogSnapshot snapshot) {
    if (closed) {
      return;
    }
    boolean tools;
    boolean prompts;
    boolean resources;
    synchronized (lastView) {
      tools = changed(snapshot, ListKind.TOOLS);
      prompts = changed(snapshot, ListKind.PROMPTS);
      boolean plain = changed(snapshot, ListKind.RESOURCES);
      boolean templates = changed(snapshot, ListKind.RESOURCE_TEMPLATES);
      resources = plain || templates;
    }
    if (tools) {
      out.accept(JsonRpc.notification(Methods.TOOLS_LIST_CHANGED, null));
    }
    if (prompts) {
      out.accept(JsonRpc.notification(Methods.PROMPTS_LIST_CHANGED, null));
    }
    if (resources) {
      out.accept(JsonRpc.notification(Methods.RESOURCES_LIST_CHANGED, null));
    }
  }

  /** Whether the view of a kind the client has listed changed; kinds never listed need no notice. */
  private boolean changed(CatalogSnapshot snapshot, ListKind kind) {
    List<CatalogEntry> before = lastView.get(kind);
    if (before == null) {
      return false;
    }
    List<CatalogEntry> now = view(snapshot, kind);
    lastView.put(kind, now);
    return !now.equals(before);
  }

  /** Sends a notification that belongs to no request (e.g. a backend log while nothing is in flight). */
  public void notifyClient(ObjectNode notification) {
    if (!closed && passesLogLevel(notification)) {
      out.accept(notification);
    }
  }

  /** Waits until every request received so far has been answered; false at the deadline. */
  public boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (running) {
      while (running.get() > 0) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(running, remaining);
      }
    }
    return true;
  }

  public boolean isInitialized() {
    return initialized;
  }

  private String shortId() {
    return id.substring(0, 8);
  }

  /** Cancels what is in flight and forgets the session. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (CallContext context : inFlight.values()) {
      context.cancel("the client disconnected");
    }
    inFlight.clear();
    for (CompletableFuture<JsonNode> waiting : clientRequests.values()) {
      waiting.completeExceptionally(McpError.backendUnavailable("the client disconnected"));
    }
    hub.closed(this);
  }
}
