package dev.switchboard.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which sections differ between two configs, split by what a running hub can take over: the access
 * rules and prompt templates (reloaded in place) and everything else (needs a restart). Where an
 * entry stands in the file does not count, only what it says.
 */
public final class ConfigDiff {
  private ConfigDiff() {}

  /** The sections a reload applies at once that differ: users, auth, stdio, admin, tools, prompts, resources, servers' requires. */
  public static List<String> reloadable(SwitchboardConfig before, SwitchboardConfig after) {
    List<String> changed = new ArrayList<>();
    add(changed, "users", before.users(), after.users());
    add(changed, "auth", before.auth(), after.auth());
    add(changed, "stdio", before.stdio(), after.stdio());
    add(changed, "admin", before.admin(), after.admin());
    add(changed, "tools", strip(before.tools(), ConfigDiff::withoutPosition), strip(after.tools(), ConfigDiff::withoutPosition));
    add(changed, "prompts", strip(before.prompts(), ConfigDiff::withoutPosition),
        strip(after.prompts(), ConfigDiff::withoutPosition));
    add(changed, "resources", strip(before.resources(), ConfigDiff::withoutPosition),
        strip(after.resources(), ConfigDiff::withoutPosition));
    add(changed, "servers.*.requires", strip(before.servers(), ServerConfig::requires),
        strip(after.servers(), ServerConfig::requires));
    return changed;
  }

  /** The sections that differ and only take effect after a restart: listen, hub, servers, cache, audit, http. */
  public static List<String> restartNeeded(SwitchboardConfig before, SwitchboardConfig after) {
    List<String> changed = new ArrayList<>();
    add(changed, "listen", before.listen(), after.listen());
    add(changed, "hub", before.hub(), after.hub());
    add(changed, "servers", strip(before.servers(), ConfigDiff::withoutPolicy), strip(after.servers(), ConfigDiff::withoutPolicy));
    add(changed, "cache", before.cache(), after.cache());
    add(changed, "audit", before.audit(), after.audit());
    add(changed, "http", before.http(), after.http());
    return changed;
  }

  private static void add(List<String> changed, String section, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      changed.add(section);
    }
  }

  /** The entries with each value mapped, in file order (order decides collisions, so it counts). */
  private static <V, R> List<Map.Entry<String, R>> strip(Map<String, V> entries, Function<V, R> view) {
    Map<String, R> mapped = new LinkedHashMap<>();
    entries.forEach((key, value) -> mapped.put(key, view.apply(value)));
    return List.copyOf(mapped.entrySet());
  }

  private static ItemPolicyConfig withoutPosition(ItemPolicyConfig entry) {
    return new ItemPolicyConfig(entry.pattern(), entry.requires(), entry.cache(), entry.cacheScope(), null);
  }

  private static PromptConfig withoutPosition(PromptConfig entry) {
    return new PromptConfig(entry.name(), entry.description(), entry.arguments(), entry.messages(), entry.requires(), null);
  }

  private static ServerConfig withoutPolicy(ServerConfig server) {
    return new ServerConfig(server.name(), server.command(), server.env(), server.cwd(), server.url(), server.headers(),
        server.transport(), server.prefix(), server.isDefault(), server.timeout(), server.maxTimeout(), List.of(), null);
  }
}
