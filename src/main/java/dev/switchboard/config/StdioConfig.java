package dev.switchboard.config;

/** The stdio front ({@code stdio:}): whose principal a stdio client gets; null user = full access. */
public record StdioConfig(String user) {
  public static final StdioConfig DEFAULT = new StdioConfig(null);
}
