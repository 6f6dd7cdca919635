package dev.switchboard.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.ListKind;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.McpHeaders;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.ProtocolVersion;
import dev.switchboard.session.RequestMeta;
import dev.switchboard.session.StatelessServer;
import dev.switchboard.session.Subscription;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The stateless era (2026-07-28) on {@code /mcp}: every POSTed request stands alone (no session; an
 * {@code Mcp-Session-Id} is ignored and never minted). The transport's rules are checked here, in the
 * spec's order: the request {@code _meta} (400, -32602), the headers that mirror the body —
 * {@code MCP-Protocol-Version}, {@code Mcp-Method}, {@code Mcp-Name}, {@code Mcp-Param-*} (400,
 * -32020) — then the version (400, -32022). A removed or unknown method is 404 (-32601). A request is
 * answered as JSON, or as SSE once it streams or is slow; closing that stream cancels the request.
 * {@code subscriptions/listen} is a long-lived SSE stream of the changes the client opted in to.
 */
final class StatelessEndpoint {
  private final HttpFront front;
  private final StatelessServer server;
  private final Set<Subscription> listening = ConcurrentHashMap.newKeySet();

  StatelessEndpoint(HttpFront front, StatelessServer server) {
    this.front = front;
    this.server = server;
  }

  /**
   * Whether a POSTed request belongs here: it carries a version in {@code _meta}, uses a method only this
   * era has, or names a stateless-era version in its {@code MCP-Protocol-Version} header.
   */
  static boolean isStateless(ObjectNode request, ServerRequest req) {
    if (RequestMeta.isStateless(request)) {
      return true;
    }
    String header = req.headers().first(HeaderNames.create(McpHeaders.PROTOCOL_VERSION)).orElse(null);
    return header != null && ProtocolVersion.isStateless(header);
  }

  void post(ServerRequest req, ServerResponse res, Principal principal, ObjectNode message) {
    JsonNode id = message.get("id");
    String method = JsonRpc.method(message);
    RequestMeta meta;
    try {
      meta = RequestMeta.of(JsonRpc.params(message));
      checkHeaders(req, message, meta, principal);
      server.checkVersion(meta);
    } catch (McpError e) {
      HttpReplies.error(res, Status.BAD_REQUEST_400, id, e);
      return;
    }
    if (Methods.SUBSCRIPTIONS_LISTEN.equals(method)) {
      listen(res, principal, message, meta);
      return;
    }
    Exchange exchange = new Exchange(StatelessEndpoint::status, true);
    Runnable cancel = server.serve(principal, message, meta, exchange::notification, exchange::respond);
    // In this era a client that closes the response stream has cancelled the request.
    exchange.deliver(res, front.keepalive(), cancel);
  }

  /** The HTTP status of a JSON answer: 404 for "method not found", 400 for errors the client must fix, else 200. */
  private static Status status(ObjectNode answer) {
    JsonNode error = answer.get("error");
    if (error == null) {
      return Status.OK_200;
    }
    int code = error.path("code").asInt();
    if (code == McpError.METHOD_NOT_FOUND) {
      return Status.NOT_FOUND_404;
    }
    return McpError.isStatelessEraCode(code) ? Status.BAD_REQUEST_400 : Status.OK_200;
  }

  /**
   * The headers must say what the body says (intermediaries route on them).
   *
   * @throws McpError {@code -32020} naming the header that is missing, malformed or different
   */
  private void checkHeaders(ServerRequest req, ObjectNode message, RequestMeta meta, Principal principal) {
    String version = header(req, McpHeaders.PROTOCOL_VERSION);
    if (version == null) {
      throw McpError.headerMismatch(McpHeaders.PROTOCOL_VERSION + " header is required");
    }
    if (!version.equals(meta.protocolVersion())) {
      throw McpError.headerMismatch(McpHeaders.PROTOCOL_VERSION + " header value '" + version
          + "' does not match body value '" + meta.protocolVersion() + "'");
    }
    String method = JsonRpc.method(message);
    String methodHeader = header(req, McpHeaders.METHOD);
    if (methodHeader == null) {
      throw McpError.headerMismatch(McpHeaders.METHOD + " header is required");
    }
    if (!methodHeader.equals(method)) {
      throw McpError.headerMismatch(McpHeaders.METHOD + " header value '" + methodHeader + "' does not match body value '"
          + method + "'");
    }
    ObjectNode params = JsonRpc.params(message);
    String name = McpHeaders.nameOf(method, params);
    String nameHeader = header(req, McpHeaders.NAME);
    if (name != null || nameHeader != null && isItemMethod(method)) {
      if (nameHeader == null) {
        throw McpError.headerMismatch(McpHeaders.NAME + " header is required for " + method);
      }
      String decoded = decode(McpHeaders.NAME, nameHeader);
      if (!decoded.equals(name)) {
        throw McpError.headerMismatch(McpHeaders.NAME + " header value '" + decoded + "' does not match body value '"
            + name + "'");
      }
    }
    if (Methods.TOOLS_CALL.equals(method) && name != null) {
      checkParamHeaders(req, params, name, principal);
    }
  }

  /** {@code Mcp-Param-*}: each argument the tool's schema mirrors into a header must be there and agree. */
  private void checkParamHeaders(ServerRequest req, ObjectNode params, String tool, Principal principal) {
    CatalogEntry entry = front.hub().catalog().find(ListKind.TOOLS, tool);
    if (entry == null || !front.hub().visible(principal, ListKind.TOOLS, entry)) {
      return; // the call fails as "no such tool" further on, the same answer as for a tool that does not exist
    }
    List<McpHeaders.ParamHeader> headers;
    try {
      headers = McpHeaders.paramHeaders(entry.definition().get("inputSchema"));
    } catch (IllegalArgumentException e) {
      return; // an invalid annotation mirrors nothing; clients leave such a tool out
    }
    JsonNode arguments = params.get("arguments");
    for (McpHeaders.ParamHeader param : headers) {
      JsonNode value = param.valueIn(arguments);
      String sent = header(req, param.header());
      if (value == null) {
        if (sent != null) {
          throw McpError.headerMismatch(param.header() + " header is present but the argument is absent or null");
        }
        continue;
      }
      if (sent == null) {
        throw McpError.headerMismatch(param.header() + " header is required: the tool mirrors argument '"
            + String.join(".", param.path()) + "' into it");
      }
      String decoded = decode(param.header(), sent);
      if (!McpHeaders.matches(decoded, value)) {
        throw McpError.headerMismatch(param.header() + " header value '" + decoded + "' does not match body value "
            + Json.write(value));
      }
    }
  }

  private static boolean isItemMethod(String method) {
    return Methods.TOOLS_CALL.equals(method) || Methods.RESOURCES_READ.equals(method) || Methods.PROMPTS_GET.equals(method);
  }

  private static String decode(String name, String value) {
    try {
      return McpHeaders.decode(value);
    } catch (IllegalArgumentException e) {
      throw McpError.headerMismatch(name + " header is malformed: " + e.getMessage());
    }
  }

  private static String header(ServerRequest req, String name) {
    return req.headers().first(HeaderNames.create(name)).orElse(null);
  }

  /** A {@code subscriptions/listen} stream: acknowledgment, then changes, keep-alives, until either side ends it. */
  private void listen(ServerResponse res, Principal principal, ObjectNode message, RequestMeta meta) {
    BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
    Subscription subscription;
    try {
      subscription = server.listen(principal, message, meta, queue::add);
    } catch (McpError e) {
      HttpReplies.error(res, e.code() == McpError.INVALID_PARAMS ? Status.BAD_REQUEST_400 : Status.SERVICE_UNAVAILABLE_503,
          message.get("id"), e);
      return;
    }
    listening.add(subscription);
    try (SseStream sse = SseStream.open(res)) {
      while (true) {
        ObjectNode next = queue.poll(front.keepalive().toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
          sse.comment("keep-alive");
          continue;
        }
        sse.message(next);
        if (!next.has("method")) {
          break; // the listen request's own (final) response: the subscription ended
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // the client closed the stream: that cancels the subscription
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      subscription.cancel();
      listening.remove(subscription);
    }
  }

  /** The front stops: every open listen stream gets its final result and ends. */
  void endAll() {
    for (Subscription subscription : List.copyOf(listening)) {
      subscription.end();
    }
  }
}
