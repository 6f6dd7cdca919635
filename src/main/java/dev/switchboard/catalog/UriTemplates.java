package dev.switchboard.catalog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Matching URIs against RFC 6570 URI templates, for routing a resource URI no backend lists to the
 * backend whose template it fits. Expressions ({@code {id}}, {@code {+path}}, {@code {?q}} …)
 * match a run of characters: reserved expansions may span '/', simple ones may not.
 */
public final class UriTemplates {
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  private UriTemplates() {}

  public static boolean matches(String template, String uri) {
    return COMPILED.computeIfAbsent(template, UriTemplates::compile).matcher(uri).matches();
  }

  private static Pattern compile(String template) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        regex.append(Pattern.quote(template.substring(i)));
        break;
      }
      regex.append(Pattern.quote(template.substring(i, open)));
      int close = template.indexOf('}', open);
      if (close < 0) {
        regex.append(Pattern.quote(template.substring(open)));
        break;
      }
      char operator = close > open + 1 ? template.charAt(open + 1) : ' ';
      switch (operator) {
        case '+', '#' -> regex.append(".*");
        case '?', '&' -> regex.append("(?:[?&][^#]*)?");
        case '/' -> regex.append("(?:/[^?#]*)?");
        default -> regex.append("[^/?#]+");
      }
      i = close + 1;
    }
    return Pattern.compile(regex.toString());
  }
}
