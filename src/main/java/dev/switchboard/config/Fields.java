package dev.switchboard.config;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The entries of one YAML map in file order, with typed reads by key. Building it reports keys that are
 * not strings, duplicates and (when the known keys are given) unknown keys; those entries are left out.
 */
final class Fields {
  /** One entry; {@code value} may be null or a null scalar (absent). */
  record Entry(String key, Node keyNode, Node value) {}

  private final NodeReader reader;
  private final MappingNode node;
  private final String path;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  Fields(NodeReader reader, MappingNode node, String path, List<String> known) {
    this.reader = reader;
    this.node = node;
    this.path = path;
    String where = path.isEmpty() ? "at the top level" : "in " + path;
    for (NodeTuple tuple : node.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar) || NodeReader.absent(keyNode)) {
        reader.error(keyNode, (path.isEmpty() ? "" : path + ": ") + "expected a name as key, got "
            + NodeReader.kind(keyNode));
        continue;
      }
      String key = scalar.getValue();
      if (known != null && !known.contains(key)) {
        reader.error(keyNode, Suggestions.unknownKey(key, where, known));
        continue;
      }
      Entry first = entries.get(key);
      if (first != null) {
        reader.error(keyNode, "duplicate key '" + key + "' " + where + " (first at line "
            + reader.problems().position(first.keyNode()).line() + ")");
        continue;
      }
      entries.put(key, new Entry(key, keyNode, tuple.getValueNode()));
    }
  }

  String path() {
    return path;
  }

  MappingNode node() {
    return node;
  }

  Collection<Entry> entries() {
    return entries.values();
  }

  /** Whether the key is there with a non-null value. */
  boolean has(String key) {
    return !NodeReader.absent(value(key));
  }

  Node value(String key) {
    Entry entry = entries.get(key);
    return entry == null ? null : entry.value();
  }

  Node keyNode(String key) {
    Entry entry = entries.get(key);
    return entry == null ? null : entry.keyNode();
  }

  /** The key path of an entry: {@code servers.database} + {@code command}. */
  String path(String key) {
    return NodeReader.child(path, key);
  }

  Fields map(String key, String expected, List<String> known) {
    return reader.map(value(key), path(key), expected, known);
  }

  NodeReader.Text string(String key, String expected) {
    return reader.string(value(key), path(key), expected);
  }

  Boolean bool(String key) {
    return reader.bool(value(key), path(key));
  }

  Duration duration(String key) {
    return reader.duration(value(key), path(key));
  }

  List<String> strings(String key, String example) {
    return reader.strings(value(key), path(key), example);
  }
}
