package dev.switchboard.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for misspelled keys and values: the nearest candidate by edit distance, if close enough. */
final class Suggestions {
  private Suggestions() {}

  /** {@code unknown key 'prefx' in servers.database; did you mean 'prefix'?}, else the known keys are listed. */
  static String unknownKey(String key, String where, Collection<String> known) {
    String nearest = nearest(key, known);
    return "unknown key '" + key + "' " + where
        + (nearest != null ? "; did you mean '" + nearest + "'?" : "; known keys: " + String.join(", ", known));
  }

  /**
   * The candidate closest to {@code word}, or null when none is close: the same up to case, '_' and '-'
   * ({@code requestTimeout} → {@code request_timeout}), or within an edit distance of at most 2 or a third
   * of the word's length, and less than the word's length (so {@code x} does not suggest {@code url}).
   */
  static String nearest(String word, Collection<String> candidates) {
    String normalized = normalize(word);
    for (String candidate : candidates) {
      if (normalize(candidate).equals(normalized)) {
        return candidate;
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = word.toLowerCase(Locale.ROOT);
    for (String candidate : candidates) {
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int limit = Math.max(2, word.length() / 3);
    return bestDistance <= limit && bestDistance < word.length() ? best : null;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** {@code a, b or c}. */
  static String alternatives(Collection<String> values) {
    var list = values.stream().toList();
    if (list.size() == 1) {
      return list.get(0);
    }
    return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
  }

  private static String normalize(String word) {
    return word.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }
}
