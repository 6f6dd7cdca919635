package dev.switchboard.access;

import dev.switchboard.backend.ListKind;
import dev.switchboard.config.ItemPolicyConfig;
import dev.switchboard.config.PromptConfig;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.SwitchboardConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one access policy, for listing and for using: an item requires the capabilities of every
 * config entry matching it (its exact name and any glob add up — {@code tools}, {@code prompts},
 * {@code resources}) plus its server's {@code requires}. A principal sees an item iff it holds all
 * of them, and what it cannot see it cannot use. Immutable and thread-safe.
 */
public final class CapabilityPolicy {
  /** One config entry: a pattern and what it requires. */
  private record Rule(Glob glob, List<String> requires) {}

  private final Map<ListKind, List<Rule>> rules = new HashMap<>();
  private final Map<String, List<String>> serverRequires = new HashMap<>();

  public CapabilityPolicy(SwitchboardConfig config) {
    List<Rule> tools = new ArrayList<>();
    for (ItemPolicyConfig entry : config.tools().values()) {
      if (!entry.requires().isEmpty()) {
        tools.add(new Rule(Glob.of(entry.pattern()), entry.requires()));
      }
    }
    List<Rule> prompts = new ArrayList<>();
    for (PromptConfig entry : config.prompts().values()) {
      if (!entry.requires().isEmpty()) {
        prompts.add(new Rule(Glob.of(entry.name()), entry.requires()));
      }
    }
    List<Rule> resources = new ArrayList<>();
    for (ItemPolicyConfig entry : config.resources().values()) {
      if (!entry.requires().isEmpty()) {
        resources.add(new Rule(Glob.of(entry.pattern()), entry.requires()));
      }
    }
    rules.put(ListKind.TOOLS, List.copyOf(tools));
    rules.put(ListKind.PROMPTS, List.copyOf(prompts));
    rules.put(ListKind.RESOURCES, List.copyOf(resources));
    rules.put(ListKind.RESOURCE_TEMPLATES, List.copyOf(resources));
    for (ServerConfig server : config.servers().values()) {
      if (!server.requires().isEmpty()) {
        serverRequires.put(server.name(), server.requires());
      }
    }
  }

  /**
   * Everything an item requires.
   *
   * @param key the exposed name (tools, prompts), URI (resources) or URI template (templates)
   * @param server the server that owns it, or null when nobody does
   */
  public Set<String> requirements(ListKind kind, String key, String server) {
    Set<String> required = new TreeSet<>();
    for (Rule rule : rules.get(kind)) {
      if (rule.glob().matches(key)) {
        required.addAll(rule.requires());
      }
    }
    if (server != null) {
      required.addAll(serverRequires.getOrDefault(server, List.of()));
    }
    return required;
  }

  /** Whether the principal may see and use the item. */
  public boolean allows(Principal principal, ListKind kind, String key, String server) {
    return principal.unrestricted() || principal.capabilities().containsAll(requirements(kind, key, server));
  }

  /** Every capability the config mentions (for the protected-resource metadata's scopes). */
  public Set<String> mentioned() {
    Set<String> all = new TreeSet<>();
    rules.values().forEach(list -> list.forEach(rule -> all.addAll(rule.requires())));
    serverRequires.values().forEach(all::addAll);
    return all;
  }
}
