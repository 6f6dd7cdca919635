package dev.switchboard.protocol;

import java.util.List;

/** The log levels of {@code notifications/message}, least severe first (RFC 5424 order, reversed). */
public final class LogLevels {
  public static final List<String> ALL =
      List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

  private LogLevels() {}

  /** The severity rank of a level, or -1 when it is not one. */
  public static int rank(String level) {
    return level == null ? -1 : ALL.indexOf(level);
  }
}
