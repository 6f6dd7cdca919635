package dev.switchboard.pipeline;

import dev.switchboard.access.CapabilityPolicy;
import java.util.function.Supplier;
import dev.switchboard.jsonrpc.McpError;

/**
 * Enforces the one capability policy on a routed request: what a principal cannot see, it cannot
 * use, and the refusal is the very error a name that does not exist gets ({@link Denied} tells the
 * audit step apart).
 */
public final class AuthorizeStep implements Step {
  /** A refusal by the policy: carries the not-found error the client receives. */
  public static final class Denied extends RuntimeException {
    private final McpError error;

    Denied(McpError error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }

    public McpError error() {
      return error;
    }
  }

  private final Supplier<CapabilityPolicy> policy;

  /** @param policy the policy in force, read per request (a config reload replaces it) */
  public AuthorizeStep(Supplier<CapabilityPolicy> policy) {
    this.policy = policy;
  }

  @Override
  public Reply handle(Request request, Chain chain) {
    Route route = request.route();
    if (!policy.get().allows(request.principal(), request.kind(), request.target(), route == null ? null : route.server())) {
      throw new Denied(RouteStep.notFound(request.kind(), request.target()));
    }
    return chain.proceed(request);
  }
}
