package dev.switchboard.config;

/** A place in a config file, 1-based, as printed in errors: {@code FILE:LINE:COLUMN}. */
public record Position(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
