package dev.switchboard.backend;

import java.time.Duration;

/** Short human text for durations in messages: 500ms, 60s, 10m. */
final class Durations {
  private Durations() {}

  static String text(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000 || ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s < 120 || s % 60 != 0) {
      return s + "s";
    }
    long m = s / 60;
    return m < 120 || m % 60 != 0 ? m + "m" : (m / 60) + "h";
  }
}
