package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.CallContext;
import dev.switchboard.backend.ListKind;
import dev.switchboard.jsonrpc.CanonicalJson;

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
 * @param memo what steps derive from the params and share (kept across copies)
 */
public record Request(Principal principal, String method, ListKind kind, String target, ObjectNode params,
    CallContext context, Route route, Memo memo) {

  public Request(Principal principal, String method, ListKind kind, String target, ObjectNode params,
      CallContext context, Route route) {
    this(principal, method, kind, target, params, context, route, new Memo());
  }

  public Request withRoute(Route route) {
    return new Request(principal, method, kind, target, params, context, route, memo);
  }

  /**
   * The canonical JSON of the {@code arguments} ({@link CanonicalJson}), computed once for the
   * cache key and the audit hash; null when there are none.
   */
  public byte[] canonicalArguments() {
    return memo.canonicalArguments(params);
  }

  /** Values derived from a request once and shared by the steps. Thread-safe. */
  public static final class Memo {
    private volatile byte[] canonicalArguments;

    byte[] canonicalArguments(ObjectNode params) {
      byte[] bytes = canonicalArguments;
      if (bytes == null) {
        JsonNode arguments = params == null ? null : params.get("arguments");
        if (arguments == null || arguments.isNull()) {
          return null;
        }
        bytes = CanonicalJson.bytes(arguments);
        canonicalArguments = bytes;
      }
      return bytes;
    }
  }
}
