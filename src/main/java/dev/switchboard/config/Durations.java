package dev.switchboard.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the config: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d},
 * combined largest unit first ({@code 1m30s}, {@code 1h30m}), or a bare integer meaning seconds.
 */
final class Durations {
  static final String EXAMPLES = "500ms, 30s, 5m, 1h";

  private static final Pattern FORMAT =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final Pattern SECONDS = Pattern.compile("\\d+");

  private Durations() {}

  /** The duration, or null when the text is not one (zero is a duration; callers decide if it is allowed). */
  static Duration parse(String text) {
    try {
      if (SECONDS.matcher(text).matches()) {
        return Duration.ofSeconds(Long.parseLong(text));
      }
      Matcher m = FORMAT.matcher(text);
      if (text.isEmpty() || !m.matches()) {
        return null;
      }
      return Duration.ofDays(number(m.group(1)))
          .plusHours(number(m.group(2)))
          .plusMinutes(number(m.group(3)))
          .plusSeconds(number(m.group(4)))
          .plusMillis(number(m.group(5)));
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return null;
    }
  }

  /** The shortest config form: {@code 1m30s}, {@code 500ms}, {@code 0s}. */
  static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    append(out, duration.toDaysPart(), "d");
    append(out, duration.toHoursPart(), "h");
    append(out, duration.toMinutesPart(), "m");
    append(out, duration.toSecondsPart(), "s");
    append(out, duration.toMillisPart(), "ms");
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount != 0) {
      out.append(amount).append(unit);
    }
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }
}
