package dev.switchboard.pipeline;

import dev.switchboard.backend.ListKind;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.catalog.UriTemplates;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import java.util.function.Supplier;

/**
 * Decides which server a request goes to: the owner of the exposed name or URI in the catalog; a
 * resource URI nobody lists goes to the owner of the first resource template it matches; a tool
 * nobody owns goes to the server marked {@code default: true}; anything else fails with the error
 * a client gets for a name that does not exist.
 */
public final class RouteStep implements Step {
  private final Supplier<CatalogSnapshot> catalog;
  private final String defaultServer;

  /** @param defaultServer the name of the {@code default: true} server, or null */
  public RouteStep(Supplier<CatalogSnapshot> catalog, String defaultServer) {
    this.catalog = catalog;
    this.defaultServer = defaultServer;
  }

  @Override
  public Reply handle(Request request, Chain chain) {
    Route route = resolve(request);
    if (route == null) {
      throw notFound(request.kind(), request.target());
    }
    return chain.proceed(request.withRoute(route));
  }

  /** Where a request would go now, or null when nobody owns its target. */
  public Route resolve(Request request) {
    CatalogSnapshot snapshot = catalog.get();
    CatalogEntry entry = snapshot.find(request.kind(), request.target());
    if (entry != null) {
      return new Route(entry.server(), entry.backendKey(), false);
    }
    if (request.kind() == ListKind.RESOURCES) {
      for (CatalogEntry template : snapshot.list(ListKind.RESOURCE_TEMPLATES)) {
        if (UriTemplates.matches(template.key(), request.target())) {
          return new Route(template.server(), request.target(), false);
        }
      }
    }
    if (defaultServer != null && request.kind() == ListKind.TOOLS) {
      return new Route(defaultServer, request.target(), true);
    }
    return null;
  }

  /** The one error for a name that does not exist (or that the principal may not see). */
  public static McpError notFound(ListKind kind, String target) {
    return switch (kind) {
      case TOOLS -> McpError.noServerForTool(target);
      case PROMPTS -> new McpError(McpError.INVALID_PARAMS, "Unknown prompt: " + target);
      case RESOURCES, RESOURCE_TEMPLATES -> new McpError(McpError.RESOURCE_NOT_FOUND, "Resource not found: " + target,
          Json.object().put("uri", target));
    };
  }
}
