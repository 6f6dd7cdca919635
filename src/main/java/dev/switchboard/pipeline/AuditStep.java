package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.access.AuditLog;
import dev.switchboard.jsonrpc.CanonicalJson;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.Methods;
import java.util.Set;

/**
 * The first step: writes one audit line per tools/call, prompts/get and resources/read when it
 * ends (ok, tool_error, error with its code, cancelled) and per denied attempt of any method. It
 * runs before routing, so it names the backend the router resolves for the request.
 */
public final class AuditStep implements Step {
  private static final Set<String> AUDITED = Set.of(Methods.TOOLS_CALL, Methods.PROMPTS_GET, Methods.RESOURCES_READ);

  private final AuditLog audit;
  private final RouteStep router;

  public AuditStep(AuditLog audit, RouteStep router) {
    this.audit = audit;
    this.router = router;
  }

  @Override
  public Reply handle(Request request, Chain chain) {
    long start = System.nanoTime();
    Reply reply;
    try {
      reply = chain.proceed(request);
    } catch (AuthorizeStep.Denied denied) {
      write(request, "denied", denied.error().code(), start);
      throw denied.error();
    } catch (McpError e) {
      if (AUDITED.contains(request.method())) {
        write(request, "error", e.code(), start);
      }
      throw e;
    }
    if (!AUDITED.contains(request.method())) {
      return reply;
    }
    return reply.whenDone((result, error) -> {
      String outcome = request.context().isCancelled() ? "cancelled" : error != null ? "error" : isError(result) ? "tool_error" : "ok";
      write(request, outcome, error == null ? null : error.code(), start);
    });
  }

  private static boolean isError(JsonNode result) {
    return result != null && result.path("isError").asBoolean(false);
  }

  private void write(Request request, String outcome, Integer code, long start) {
    Route route = router.resolve(request);
    byte[] arguments = request.canonicalArguments(); // computed once, shared with the cache key
    audit.record(new AuditLog.Entry(request.principal().name(), request.method(), request.target(),
        route == null ? null : route.server(), outcome, code, (System.nanoTime() - start) / 1_000_000,
        arguments == null ? null : CanonicalJson.sha256(arguments)));
  }
}
