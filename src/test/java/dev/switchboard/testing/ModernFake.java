package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What a fake stateless-era (2026-07-28) MCP server does, whatever carries it: {@link FakeModernBackend}
 * on stdio, {@link FakeHttpBackend} in {@code MODERN} mode. It checks every request's {@code _meta},
 * refuses handshake-era methods, answers {@code server/discover}, lists tools with caching hints, and
 * keeps {@code subscriptions/listen} streams. Tools:
 * <ul>
 *   <li>{@code echo} answers {@code modern:echo ARGUMENTS}</li>
 *   <li>{@code ask} answers {@code input_required} (an elicitation and a request state) until called again
 *       with {@code inputResponses.name}, then {@code hello NAME}</li>
 *   <li>{@code add_tool {name}} adds a tool and sends {@code tools/list_changed} to listen streams that want it
 *       (alias {@code test_trigger_tool_change}, the conformance suite's name)</li>
 *   <li>{@code log} sends a {@code notifications/message} at info, only when the request's {@code logLevel}
 *       admits it (alias {@code test_logging_tool})</li>
 *   <li>{@code sleep {ms}} works that long (cancellable)</li>
 *   <li>{@code region {region, query}} mirrors {@code region} into {@code Mcp-Param-Region} ({@code x-mcp-header})</li>
 *   <li>{@code touch {uri}} sends {@code notifications/resources/updated} to listen streams subscribed to the URI
 *       (the fake offers one resource, {@code mem://counter}, with caching hints on its list and its read)</li>
 *   <li>{@code crash} is listed here and done by the stdio carrier (it exits the process)</li>
 *   <li>{@code bad_header} is listed with an invalid {@code x-mcp-header}: HTTP clients must leave it out</li>
 * </ul>
 */
public final class ModernFake {
  public static final String VERSION = "2026-07-28";
  private static final String META = "io.modelcontextprotocol/";
  private static final List<String> LEVELS = List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

  /** Where one subscription's notifications go, and what it opted in to. */
  public record Listener(JsonNode id, ObjectNode filter, Consumer<ObjectNode> out) {}

  private final String name;
  private final List<String> added = new CopyOnWriteArrayList<>();
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final Map<String, Thread> working = new ConcurrentHashMap<>();

  public ModernFake(String name) {
    this.name = name;
  }

  /** A failure answered as a JSON-RPC error. */
  public static final class Failure extends RuntimeException {
    public final int code;
    public final JsonNode data;

    public Failure(int code, String message, JsonNode data) {
      super(message);
      this.code = code;
      this.data = data;
    }

    public ObjectNode response(JsonNode id) {
      ObjectNode error = Json.object();
      error.put("jsonrpc", "2.0");
      error.set("id", id);
      ObjectNode body = error.putObject("error").put("code", code).put("message", getMessage());
      if (data != null) {
        body.set("data", data);
      }
      return error;
    }
  }

  /** The answer to a request that is not {@code subscriptions/listen}; {@code stream} gets its notifications. */
  public ObjectNode handle(ObjectNode request, Consumer<ObjectNode> stream) {
    JsonNode id = request.get("id");
    try {
      return JsonRpc.result(id, result(request, stream));
    } catch (Failure e) {
      return e.response(id);
    } catch (InterruptedException e) {
      return null; // cancelled: no answer
    }
  }

  /** Checks a {@code subscriptions/listen} request and acknowledges it; the stream then stays open. */
  public Listener listen(ObjectNode request, Consumer<ObjectNode> out) {
    meta(JsonRpc.params(request));
    ObjectNode filter = Json.objectAt(JsonRpc.params(request), "notifications");
    Listener listener = new Listener(request.get("id"), filter == null ? Json.object() : filter, out);
    ObjectNode params = Json.object();
    params.putObject("_meta").set(META + "subscriptionId", listener.id());
    params.set("notifications", listener.filter());
    out.accept(JsonRpc.notification("notifications/subscriptions/acknowledged", params));
    listeners.add(listener);
    return listener;
  }

  public void unlisten(Listener listener) {
    listeners.remove(listener);
  }

  public int listeners() {
    return listeners.size();
  }

  /** Interrupts the work of a request (stdio's notifications/cancelled). */
  public void cancel(JsonNode requestId) {
    Thread worker = requestId == null ? null : working.get(requestId.toString());
    if (worker != null) {
      worker.interrupt();
    }
  }

  private ObjectNode meta(ObjectNode params) {
    ObjectNode meta = Json.objectAt(params, "_meta");
    String version = Json.text(meta, META + "protocolVersion");
    if (meta == null || version == null || !(meta.get(META + "clientCapabilities") instanceof ObjectNode)) {
      throw new Failure(-32602, "Invalid params: _meta needs " + META + "protocolVersion and " + META + "clientCapabilities", null);
    }
    if (!VERSION.equals(version)) {
      ObjectNode data = Json.object();
      data.putArray("supported").add(VERSION);
      data.put("requested", version);
      throw new Failure(-32022, "Unsupported protocol version", data);
    }
    return meta;
  }

  private JsonNode result(ObjectNode request, Consumer<ObjectNode> stream) throws InterruptedException {
    String method = JsonRpc.method(request);
    ObjectNode params = JsonRpc.params(request);
    if (List.of("initialize", "ping", "logging/setLevel", "resources/subscribe").contains(method)) {
      throw new Failure(-32601, "Method not found: " + method, null);
    }
    ObjectNode meta = meta(params);
    return switch (method) {
      case "server/discover" -> discover();
      case "tools/list" -> tools();
      case "resources/list" -> Json.parse("""
          {"resultType":"complete","resources":[{"uri":"mem://counter","name":"counter"}],"ttlMs":1000,"cacheScope":"public"}""");
      case "resources/templates/list" -> Json.parse("""
          {"resultType":"complete","resourceTemplates":[],"ttlMs":1000,"cacheScope":"public"}""");
      case "resources/read" -> Json.parse("""
          {"resultType":"complete","contents":[{"uri":"%s","text":"42"}],"ttlMs":1500,"cacheScope":"private"}"""
          .formatted(Json.text(params, "uri")));
      case "tools/call" -> {
        working.put(request.get("id").toString(), Thread.currentThread());
        try {
          yield call(Json.text(params, "name"), params, meta, stream);
        } finally {
          working.remove(request.get("id").toString());
        }
      }
      default -> throw new Failure(-32601, "Method not found: " + method, null);
    };
  }

  private ObjectNode discover() {
    ObjectNode result = Json.object();
    result.put("resultType", "complete");
    result.putArray("supportedVersions").add(VERSION);
    ObjectNode capabilities = result.putObject("capabilities");
    capabilities.putObject("tools").put("listChanged", true);
    capabilities.putObject("resources").put("subscribe", true);
    result.putObject("_meta").putObject(META + "serverInfo").put("name", name).put("version", "1.0.0");
    result.put("ttlMs", 60_000);
    result.put("cacheScope", "public");
    return result;
  }

  private ObjectNode tools() {
    ObjectNode result = Json.object();
    result.put("resultType", "complete");
    ArrayNode tools = result.putArray("tools");
    for (String tool : List.of("echo", "ask", "add_tool", "test_trigger_tool_change", "log", "test_logging_tool", "sleep", "crash",
        "touch")) {
      tools.addObject().put("name", tool).put("description", "modern fake tool " + tool).putObject("inputSchema").put("type", "object");
    }
    ObjectNode region = tools.addObject().put("name", "region").put("description", "mirrors region into a header");
    region.set("inputSchema", Json.parse("""
        {"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"},"query":{"type":"string"}},
         "required":["region"]}"""));
    ObjectNode bad = tools.addObject().put("name", "bad_header").put("description", "an x-mcp-header on an object (invalid)");
    bad.set("inputSchema", Json.parse("""
        {"type":"object","properties":{"data":{"type":"object","x-mcp-header":"Data"}}}"""));
    for (String tool : added) {
      tools.addObject().put("name", tool).put("description", "added").putObject("inputSchema").put("type", "object");
    }
    result.put("ttlMs", 5_000);
    result.put("cacheScope", "public");
    return result;
  }

  private JsonNode call(String tool, ObjectNode params, ObjectNode meta, Consumer<ObjectNode> stream) throws InterruptedException {
    ObjectNode args = params.get("arguments") instanceof ObjectNode a ? a : Json.object();
    return switch (tool == null ? "" : tool) {
      case "echo" -> text("modern:echo " + Json.write(args));
      case "ask" -> {
        JsonNode answer = params.path("inputResponses").path("name");
        if (answer.isMissingNode()) {
          yield Json.parse("""
              {"resultType":"input_required","requestState":"ask-1","inputRequests":{"name":{"method":"elicitation/create",
               "params":{"mode":"form","message":"What is your name?","requestedSchema":{"type":"object",
               "properties":{"name":{"type":"string"}},"required":["name"]}}}}}""");
        }
        if (!"ask-1".equals(Json.text(params, "requestState"))) {
          throw new Failure(-32602, "Invalid params: requestState must be echoed back", null);
        }
        yield text("hello " + answer.path("content").path("name").asText("?"));
      }
      case "add_tool", "test_trigger_tool_change" -> {
        added.add(args.path("name").asText("added_" + (added.size() + 1)));
        notifyListeners("toolsListChanged", "notifications/tools/list_changed");
        yield text("added");
      }
      case "log", "test_logging_tool" -> {
        String level = Json.text(meta, META + "logLevel");
        if (level != null && LEVELS.indexOf(level) <= LEVELS.indexOf("info")) {
          ObjectNode log = Json.object();
          log.put("level", "info");
          log.put("data", "a log line from " + name);
          stream.accept(JsonRpc.notification("notifications/message", log));
        }
        yield text("logged at " + level);
      }
      case "sleep" -> {
        Thread.sleep(args.path("ms").asLong(1000)); // the backend's own work, not test synchronization
        yield text("slept");
      }
      case "region" -> text("region " + args.path("region").asText());
      case "touch" -> {
        String uri = args.path("uri").asText("mem://counter");
        for (Listener listener : listeners) {
          if (listener.filter().path("resourceSubscriptions").toString().contains("\"" + uri + "\"")) {
            ObjectNode updated = Json.object();
            updated.putObject("_meta").set(META + "subscriptionId", listener.id());
            updated.put("uri", uri);
            listener.out().accept(JsonRpc.notification("notifications/resources/updated", updated));
          }
        }
        yield text("touched " + uri);
      }
      default -> throw new Failure(-32602, "Invalid params: unknown tool " + tool, null);
    };
  }

  private void notifyListeners(String wanted, String method) {
    for (Listener listener : listeners) {
      if (listener.filter().path(wanted).asBoolean(false)) {
        ObjectNode params = Json.object();
        params.putObject("_meta").set(META + "subscriptionId", listener.id());
        listener.out().accept(JsonRpc.notification(method, params));
      }
    }
  }

  private static ObjectNode text(String text) {
    ObjectNode result = Json.object();
    result.put("resultType", "complete");
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }
}
