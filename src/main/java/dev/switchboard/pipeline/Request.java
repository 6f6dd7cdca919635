package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.CallContext;
import dev.switchboard.backend.ListKind;

/**
 * One item-targeted client request on its way through the pipeline (tools/call, prompts/get,
 * resources/read…). Immutable: a step that changes it passes a copy on.
 *
 * @param principal who asks
 * @param method the MCP method
 * @param kind which list the target lives in
 * @param target the exposed name or URI the client named
 * @param params the client's params, untouched
 * @param context the client's call context (progress, notifications, cancellation)
 * @param route where it goes, once {@link RouteStep} has decided; null before
 */
public record Request(Principal principal, String method, ListKind kind, String target, ObjectNode params,
    CallContext context, Route route) {

  public Request withRoute(Route route) {
    return new Request(principal, method, kind, target, params, context, route);
  }
}
