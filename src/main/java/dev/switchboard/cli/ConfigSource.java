package dev.switchboard.cli;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Which config a command uses: {@code --config FILE}, else ./switchboard.yaml, else the built-in demo. */
final class ConfigSource {
  static final Path DEFAULT_FILE = Path.of("switchboard.yaml");

  private ConfigSource() {}

  /** The config, or null after printing every problem to stderr (the command then exits 1). */
  static SwitchboardConfig loadOrReport(Path explicit) {
    try {
      return load(explicit, System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return null;
    }
  }

  static SwitchboardConfig load(Path explicit, Map<String, String> env) throws ConfigException {
    if (explicit != null) {
      return ConfigLoader.load(explicit, env);
    }
    if (Files.exists(DEFAULT_FILE)) {
      return ConfigLoader.load(DEFAULT_FILE, env);
    }
    return ConfigLoader.builtInDemo(env);
  }
}
