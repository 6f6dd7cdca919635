package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.backend.Backend;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.Methods;
import java.util.Map;

/** The last step: forwards the request to its backend under the backend's own name and returns the result. */
public final class BackendCallStep implements Step {
  private final Map<String, Backend> backends;

  public BackendCallStep(Map<String, Backend> backends) {
    this.backends = backends;
  }

  @Override
  public Reply handle(Request request, Chain chain) {
    Route route = request.route();
    if (route == null) {
      throw new IllegalStateException("BackendCallStep needs a route; RouteStep must run first");
    }
    Backend backend = backends.get(route.server());
    if (backend == null) {
      throw McpError.internal("no backend named '" + route.server() + "'");
    }
    ObjectNode params = request.params();
    if (!route.backendKey().equals(request.target())) {
      params = renamed(request.method(), params, route.backendKey());
    }
    return Reply.pending(backend.send(request.method(), params, request.context()));
  }

  /** A shallow copy naming the target as the backend knows it; the arguments are passed on as they are. */
  private static ObjectNode renamed(String method, ObjectNode params, String backendKey) {
    ObjectNode copy = Json.object();
    copy.setAll(params);
    switch (method) {
      case Methods.COMPLETE -> {
        ObjectNode ref = Json.object();
        ref.setAll(Json.objectAt(params, "ref"));
        ref.put(ref.has("name") ? "name" : "uri", backendKey);
        copy.set("ref", ref);
      }
      case Methods.TOOLS_CALL, Methods.PROMPTS_GET -> copy.put("name", backendKey);
      default -> copy.put("uri", backendKey);
    }
    return copy;
  }
}
