package dev.switchboard.config;

import java.util.List;

/**
 * A config that cannot be used. Each problem is one line {@code FILE:LINE:COLUMN: message} that names
 * the key and says what was expected; {@link #getMessage()} joins them with newlines.
 */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
