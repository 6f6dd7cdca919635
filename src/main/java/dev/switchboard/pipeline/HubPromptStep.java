package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.prompts.PromptTemplates;
import dev.switchboard.protocol.Methods;
import java.util.function.Supplier;

/** Answers for the prompt templates of the config, which {@link RouteStep} routes to the hub itself. */
public final class HubPromptStep implements Step {
  /** The server name the catalog gives the hub's own prompts; no configured server can have it. */
  public static final String HUB = "(hub)";

  private final Supplier<PromptTemplates> templates;

  /** @param templates the templates in force, read per request (a config reload replaces them) */
  public HubPromptStep(Supplier<PromptTemplates> templates) {
    this.templates = templates;
  }

  @Override
  public Reply handle(Request request, Chain chain) {
    if (request.route() == null || !HUB.equals(request.route().server())) {
      return chain.proceed(request);
    }
    if (Methods.COMPLETE.equals(request.method())) {
      ObjectNode result = Json.object();
      result.putObject("completion").putArray("values");
      return Reply.of(result);
    }
    return Reply.of(templates.get().render(request.route().backendKey(), request.params().get("arguments")));
  }
}
