package dev.switchboard.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The MCP (syslog) log levels, lowest first. */
enum LogLevel {
  DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY;

  static final String NAMES = Arrays.stream(values()).map(LogLevel::wireName).collect(Collectors.joining(", "));

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level named {@code name}; throws IllegalArgumentException naming the expected values. */
  static LogLevel parse(String name) {
    if (name != null) {
      for (LogLevel level : values()) {
        if (level.wireName().equals(name)) {
          return level;
        }
      }
    }
    throw new IllegalArgumentException("unknown log level '" + name + "'; expected one of " + NAMES);
  }
}
