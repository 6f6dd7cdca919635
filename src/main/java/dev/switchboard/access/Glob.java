package dev.switchboard.access;

import java.util.regex.Pattern;

/**
 * A name pattern from the config: {@code *} matches any run of characters, {@code ?} exactly one;
 * everything else matches itself. A pattern without either is an exact name.
 */
public record Glob(String pattern, Pattern regex, boolean exact) {
  public static Glob of(String pattern) {
    boolean exact = pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return new Glob(pattern, Pattern.compile(regex.toString(), Pattern.DOTALL), exact);
  }

  public boolean matches(String name) {
    return exact ? pattern.equals(name) : regex.matcher(name).matches();
  }
}
