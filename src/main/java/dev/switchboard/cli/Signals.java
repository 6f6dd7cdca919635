package dev.switchboard.cli;

import dev.switchboard.Hub;
import dev.switchboard.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code SIGHUP} reloads the config's access rules, as daemons conventionally do. */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** From now on, each SIGHUP re-reads the config file and applies what can change while running. */
  static void reloadOnHangUp(Hub hub) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal ->
          Thread.ofVirtual().name("reload").start(() -> reload(hub)));
    } catch (IllegalArgumentException e) {
      log.debug("SIGHUP cannot be handled on this platform: {}", e.getMessage());
    }
  }

  private static void reload(Hub hub) {
    try {
      hub.reload();
    } catch (ConfigException e) {
      log.error("config reload refused; the running config stays in force:\n{}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("config reload failed; the running config stays in force: {}", e.toString());
    }
  }
}
