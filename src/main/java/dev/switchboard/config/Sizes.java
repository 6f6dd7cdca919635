package dev.switchboard.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as written in the config: {@code 512KiB}, {@code 64MiB}, {@code 1GiB} (powers of 1024),
 * {@code 500KB}, {@code 64MB}, {@code 1GB} (powers of 1000), {@code 100B}, or a bare integer of bytes.
 */
final class Sizes {
  static final String EXAMPLES = "512KiB, 64MiB, 1GiB, 100MB or a number of bytes";

  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?");
  private static final Map<String, Long> UNITS = Map.of(
      "B", 1L,
      "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L, "TB", 1_000_000_000_000L,
      "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30, "TiB", 1L << 40);

  private Sizes() {}

  /** The number of bytes, or null when the text is not a size (zero is a size; callers decide). */
  static Long parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return null;
    }
    try {
      long unit = m.group(2) == null ? 1 : UNITS.get(m.group(2));
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return null;
    }
  }
}
