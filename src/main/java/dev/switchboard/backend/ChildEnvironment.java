package dev.switchboard.backend;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a stdio backend starts with: a few variables every program needs, inherited from
 * the hub, plus the server's own {@code env}. Nothing else of the hub's environment (which may hold
 * tokens) reaches a backend unless the config passes it on.
 */
public final class ChildEnvironment {
  static final List<String> INHERITED = List.of(
      "HOME", "LOGNAME", "USER", "PATH", "SHELL", "TERM", "LANG", "TZ", "TMPDIR", "JAVA_HOME");
  static final List<String> INHERITED_PREFIXES = List.of("LC_", "XDG_", "SWITCHBOARD_", "NODE_", "npm_config_", "NPM_CONFIG_");

  private ChildEnvironment() {}

  public static Map<String, String> of(Map<String, String> hubEnvironment, Map<String, String> serverEnv) {
    Map<String, String> env = new TreeMap<>();
    hubEnvironment.forEach((key, value) -> {
      if (INHERITED.contains(key) || INHERITED_PREFIXES.stream().anyMatch(key::startsWith)) {
        env.put(key, value);
      }
    });
    env.putAll(serverEnv);
    return env;
  }
}
