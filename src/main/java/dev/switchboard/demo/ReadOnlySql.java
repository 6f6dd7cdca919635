package dev.switchboard.demo;

import java.util.Locale;
import java.util.Set;

/**
 * The first line of defence of the {@code database} demo: accepts one statement that starts with a
 * reading keyword. It is lexical (it skips strings, quoted names and comments), so it is not the
 * only defence: the connection is also read-only and {@code query_only}, and ATTACH is disabled.
 */
final class ReadOnlySql {
  static final String READ_ONLY_MESSAGE = "Only read-only queries are allowed (the demo database is read-only)";

  private static final Set<String> READING = Set.of("SELECT", "WITH", "VALUES", "EXPLAIN");

  private ReadOnlySql() {}

  /**
   * Returns the statement without a trailing {@code ;}.
   *
   * @throws ToolFailure for an empty text, more than one statement, or a statement that does not
   *     start with SELECT, WITH, VALUES or EXPLAIN
   */
  static String check(String sql) {
    String firstWord = null;
    int end = sql.length(); // where the statement ends (its ';' or the end of the text)
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (end < n) {
        // Something other than blanks and comments after the first ';'.
        throw new ToolFailure("Only one SQL statement per query is allowed; remove everything after the first ';'. "
            + READ_ONLY_MESSAGE);
      } else if (c == ';') {
        end = i;
        i++;
      } else if (c == '\'' || c == '"' || c == '`') {
        i = skipQuoted(sql, i, c);
      } else if (c == '[') {
        int close = sql.indexOf(']', i);
        i = close < 0 ? n : close + 1;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        if (firstWord == null) {
          firstWord = sql.substring(start, i).toUpperCase(Locale.ROOT);
        }
      } else {
        if (firstWord == null) {
          firstWord = String.valueOf(c);
        }
        i++;
      }
    }
    if (firstWord == null) {
      throw new ToolFailure("Missing SQL: pass one read-only statement, e.g. SELECT * FROM customers LIMIT 5");
    }
    if (!READING.contains(firstWord)) {
      throw new ToolFailure(READ_ONLY_MESSAGE + "; got a statement starting with " + firstWord
          + ". Use SELECT, WITH, VALUES or EXPLAIN.");
    }
    return sql.substring(0, end).strip();
  }

  /** The index just past the quoted text opened at {@code start}; a doubled quote is part of it. */
  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }
}
