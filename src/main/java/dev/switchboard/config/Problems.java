package dev.switchboard.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects the errors and warnings found in one config source, each with its position, and prints
 * them as {@code FILE:LINE:COLUMN: message} (warnings as {@code FILE:LINE:COLUMN: warning: message}),
 * sorted by position. Messages must never carry secret values; callers take care of that.
 */
final class Problems {
  private record Entry(int line, int column, String message, boolean warning) {}

  private static final Comparator<Entry> BY_POSITION =
      Comparator.comparingInt(Entry::line).thenComparingInt(Entry::column);

  private final String sourceName;
  private final List<Entry> entries = new ArrayList<>();

  Problems(String sourceName) {
    this.sourceName = sourceName;
  }

  void error(Node node, String message) {
    Position at = position(node);
    errorAt(at.line(), at.column(), message);
  }

  /** An error at a 1-based line and column. */
  void errorAt(int line, int column, String message) {
    entries.add(new Entry(line, column, message, false));
  }

  void warn(Node node, String message) {
    Position at = position(node);
    entries.add(new Entry(at.line(), at.column(), message, true));
  }

  boolean hasErrors() {
    return entries.stream().anyMatch(entry -> !entry.warning());
  }

  /** Where a node starts; the start of the file for a node without marks. */
  Position position(Node node) {
    if (node == null) {
      return new Position(sourceName, 1, 1);
    }
    return node.getStartMark().map(this::position).orElse(new Position(sourceName, 1, 1));
  }

  Position position(Mark mark) {
    return new Position(sourceName, mark.getLine() + 1, mark.getColumn() + 1);
  }

  List<String> errors() {
    return lines(false);
  }

  List<String> warnings() {
    return lines(true);
  }

  private List<String> lines(boolean warnings) {
    return entries.stream()
        .filter(entry -> entry.warning() == warnings)
        .sorted(BY_POSITION)
        .map(entry -> sourceName + ":" + entry.line() + ":" + entry.column() + ": "
            + (entry.warning() ? "warning: " : "") + entry.message())
        .toList();
  }
}
