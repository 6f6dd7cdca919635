package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.backend.Backend;
import dev.switchboard.backend.ListKind;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
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
    String field = request.kind() == ListKind.TOOLS || request.kind() == ListKind.PROMPTS ? "name" : "uri";
    if (!route.backendKey().equals(request.target())) {
      ObjectNode renamed = Json.object(); // shallow: the arguments are passed on as they are
      renamed.setAll(params);
      renamed.put(field, route.backendKey());
      params = renamed;
    }
    return Reply.pending(backend.send(request.method(), params, request.context()));
  }
}
