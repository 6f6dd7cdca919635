package dev.switchboard.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Collections;

/**
 * The whole configuration, parsed once from YAML and validated. Maps keep the order of the file
 * (config order decides catalog order and which server wins a collision).
 *
 * @param source the file it came from, or null for the built-in demo config
 * @param sourceName how errors and logs name the source ({@code switchboard.yaml}, {@code <built-in demo config>})
 */
public record SwitchboardConfig(
    Path source,
    String sourceName,
    Listen listen,
    HubSettings hub,
    Map<String, ServerConfig> servers,
    Map<String, UserConfig> users,
    AuthConfig auth,
    StdioConfig stdio,
    Map<String, ItemPolicyConfig> tools,
    Map<String, PromptConfig> prompts,
    Map<String, ItemPolicyConfig> resources,
    CacheConfig cache,
    AdminConfig admin,
    AuditConfig audit,
    HttpConfig http) {

  public SwitchboardConfig {
    servers = ordered(servers);
    users = ordered(users);
    tools = ordered(tools);
    prompts = ordered(prompts);
    resources = ordered(resources);
    http = http == null ? HttpConfig.DEFAULT : http;
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** The directory relative paths are resolved against: the config file's, else the working directory. */
  public Path baseDirectory() {
    return baseDirectoryOf(source);
  }

  /** {@link #baseDirectory()} for a source not yet made into a config (null = the working directory). */
  static Path baseDirectoryOf(Path source) {
    return source == null ? Path.of("").toAbsolutePath() : source.toAbsolutePath().getParent();
  }
}
