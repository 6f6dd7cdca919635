package dev.switchboard.backend;

/** Where a backend is in its life: STARTING (connecting, initializing, listing), UP, DOWN (waiting to restart), STOPPED. */
public enum BackendStatus {
  STARTING, UP, DOWN, STOPPED;

  public String label() {
    return name().toLowerCase();
  }
}
