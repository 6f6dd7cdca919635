package dev.switchboard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in a config string with values from an environment
 * map; {@code $${} is a literal {@code ${}. As in a shell, the default also replaces a variable that is set
 * but empty. Problems are returned, not thrown, and never contain a variable's value.
 */
final class Interpolator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * @param value the text with references replaced (references in error are left out)
   * @param substituted whether any {@code ${...}} was replaced: the value may then hold a secret
   * @param errors what went wrong, without the key (the caller prefixes it)
   */
  record Result(String value, boolean substituted, List<String> errors) {}

  private Interpolator() {}

  static Result interpolate(String text, Map<String, String> env) {
    if (!text.contains("${")) {
      return new Result(text, false, List.of());
    }
    StringBuilder out = new StringBuilder(text.length());
    List<String> errors = new ArrayList<>();
    boolean substituted = false;
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          errors.add("'${' without a closing '}' (write $${ for a literal ${)");
          break;
        }
        String reference = text.substring(i, close + 1);
        String inner = text.substring(i + 2, close);
        int separator = inner.indexOf(":-");
        String name = separator < 0 ? inner : inner.substring(0, separator);
        String fallback = separator < 0 ? null : inner.substring(separator + 2);
        if (!NAME.matcher(name).matches() || (fallback != null && fallback.contains("${"))) {
          errors.add("invalid reference '" + reference + "'; expected ${NAME} or ${NAME:-default}"
              + " where NAME is letters, digits and '_'");
        } else {
          String value = env.get(name);
          if (value == null || (value.isEmpty() && fallback != null)) {
            value = fallback;
          }
          if (value == null) {
            errors.add("environment variable " + name + " is not set (use ${" + name + ":-default} for a default)");
          } else {
            out.append(value);
            substituted = true;
          }
        }
        i = close + 1;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return new Result(out.toString(), substituted, List.copyOf(errors));
  }
}
