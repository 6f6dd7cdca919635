package dev.switchboard.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a backend offers, as it last listed it: its items in its own order and names, and what it
 * said in {@code initialize}. Immutable; a new listing replaces the old one whole.
 */
public record BackendListing(
    List<ObjectNode> tools,
    List<ObjectNode> prompts,
    List<ObjectNode> resources,
    List<ObjectNode> resourceTemplates,
    ObjectNode capabilities,
    ObjectNode serverInfo,
    String protocolVersion,
    String instructions) {
  public static final BackendListing EMPTY = new BackendListing(List.of(), List.of(), List.of(), List.of(), null, null, null, null);

  public BackendListing {
    tools = List.copyOf(tools);
    prompts = List.copyOf(prompts);
    resources = List.copyOf(resources);
    resourceTemplates = List.copyOf(resourceTemplates);
  }

  /** The list of one kind: "tools", "prompts", "resources" or "resourceTemplates". */
  public List<ObjectNode> items(ListKind kind) {
    return switch (kind) {
      case TOOLS -> tools;
      case PROMPTS -> prompts;
      case RESOURCES -> resources;
      case RESOURCE_TEMPLATES -> resourceTemplates;
    };
  }

  BackendListing with(ListKind kind, List<ObjectNode> items) {
    return new BackendListing(
        kind == ListKind.TOOLS ? items : tools,
        kind == ListKind.PROMPTS ? items : prompts,
        kind == ListKind.RESOURCES ? items : resources,
        kind == ListKind.RESOURCE_TEMPLATES ? items : resourceTemplates,
        capabilities, serverInfo, protocolVersion, instructions);
  }
}
