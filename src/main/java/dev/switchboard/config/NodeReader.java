package dev.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reading of composed YAML nodes. Every read takes the node and its key path
 * ({@code servers.web.url}); a value that is absent (missing or null) reads as null, and a value that is
 * wrong is reported to {@link Problems} at its position and also reads as null, so one pass finds all
 * problems. Scalar strings are interpolated ({@link Interpolator}); messages quote a value as written in
 * the file ({@link Text#shown()}), never a value that came from the environment.
 */
final class NodeReader {
  /**
   * A string value after interpolation.
   *
   * @param raw the text as written in the file, before interpolation
   * @param fromEnv whether {@code ${...}} was replaced: {@code value} may then be a secret
   */
  record Text(String value, String raw, Node node, boolean fromEnv) {
    /** The value quoted for a message: as written in the file, so an environment value is never shown. */
    String shown() {
      return "'" + (fromEnv ? raw : value) + "'";
    }

    /** Like {@link #shown()} with any user:password of a URL hidden. */
    String shownUrl() {
      return shown().replaceAll("//[^/@']*@", "//***@");
    }
  }

  private final Problems problems;
  private final Map<String, String> env;

  NodeReader(Problems problems, Map<String, String> env) {
    this.problems = problems;
    this.env = env;
  }

  Problems problems() {
    return problems;
  }

  void error(Node node, String message) {
    problems.error(node, message);
  }

  /** Reports {@code PATH: expected EXPECTED, got a list}. */
  void expected(Node node, String path, String expected) {
    problems.error(node, path + ": expected " + expected + ", got " + kind(node));
  }

  static boolean absent(Node node) {
    return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
  }

  /** What a node is, for "got ..." in messages: never its value. */
  static String kind(Node node) {
    if (absent(node)) {
      return "nothing";
    } else if (node instanceof MappingNode) {
      return "a map";
    } else if (node instanceof SequenceNode) {
      return "a list";
    } else if (Tag.INT.equals(node.getTag()) || Tag.FLOAT.equals(node.getTag())) {
      return "a number";
    } else if (Tag.BOOL.equals(node.getTag())) {
      return "a boolean";
    }
    return "a string";
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The entries of a map, checked for duplicate and (with {@code known}) unknown keys; null if absent or not a map. */
  Fields map(Node node, String path, String expected, List<String> known) {
    if (absent(node)) {
      return null;
    }
    if (!(node instanceof MappingNode mapping)) {
      expected(node, path, expected);
      return null;
    }
    return new Fields(this, mapping, path, known);
  }

  /** The elements of a list; null if absent or not a list. */
  List<Node> list(Node node, String path, String expected) {
    if (absent(node)) {
      return null;
    }
    if (!(node instanceof SequenceNode sequence)) {
      expected(node, path, expected);
      return null;
    }
    return sequence.getValue();
  }

  /** A string scalar; numbers, booleans and collections are errors. */
  Text string(Node node, String path, String expected) {
    if (absent(node)) {
      return null;
    }
    if (!(node instanceof ScalarNode) || !"a string".equals(kind(node))) {
      expected(node, path, expected);
      return null;
    }
    return interpolate((ScalarNode) node, path);
  }

  /** Any scalar as text: numbers and booleans as written ({@code --port, 8080}); collections are errors. */
  Text text(Node node, String path, String expected) {
    if (absent(node)) {
      return null;
    }
    if (!(node instanceof ScalarNode scalar)) {
      expected(node, path, expected);
      return null;
    }
    return interpolate(scalar, path);
  }

  private Text interpolate(ScalarNode node, String path) {
    Interpolator.Result result = Interpolator.interpolate(node.getValue(), env);
    result.errors().forEach(message -> problems.error(node, path + ": " + message));
    return result.errors().isEmpty() ? new Text(result.value(), node.getValue(), node, result.substituted()) : null;
  }

  Boolean bool(Node node, String path) {
    Text text = text(node, path, "true or false");
    if (text == null) {
      return null;
    }
    return switch (text.value().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        error(node, path + ": expected true or false, got " + text.shown());
        yield null;
      }
    };
  }

  Integer integer(Node node, String path, int min, int max) {
    String expected = "an integer from " + min + " to " + max;
    Text text = text(node, path, expected);
    if (text == null) {
      return null;
    }
    try {
      long value = Long.parseLong(text.value().trim());
      if (value >= min && value <= max) {
        return (int) value;
      }
    } catch (NumberFormatException notAnInteger) {
      // reported below
    }
    error(node, path + ": expected " + expected + ", got " + text.shown());
    return null;
  }

  /** A positive duration ({@link Durations}). */
  Duration duration(Node node, String path) {
    Text text = text(node, path, "a duration like 30s");
    if (text == null) {
      return null;
    }
    Duration duration = Durations.parse(text.value().trim());
    if (duration == null) {
      error(node, "invalid duration " + text.shown() + " for " + path + "; expected e.g. " + Durations.EXAMPLES);
      return null;
    }
    if (duration.isZero()) {
      error(node, "invalid duration " + text.shown() + " for " + path + "; must be greater than 0");
      return null;
    }
    return duration;
  }

  /** A positive number of bytes ({@link Sizes}). */
  Long size(Node node, String path) {
    Text text = text(node, path, "a size like 64MiB");
    if (text == null) {
      return null;
    }
    Long size = Sizes.parse(text.value().trim());
    if (size == null || size == 0) {
      error(node, "invalid size " + text.shown() + " for " + path + "; expected e.g. " + Sizes.EXAMPLES);
      return null;
    }
    return size;
  }

  /** One of a few words ({@code auto}, {@code sse}...), mapped to its value. */
  <T> T choice(Node node, String path, Map<String, T> options) {
    Text text = string(node, path, Suggestions.alternatives(options.keySet()));
    if (text == null) {
      return null;
    }
    T value = options.get(text.value());
    if (value == null) {
      String nearest = text.fromEnv() ? null : Suggestions.nearest(text.value(), options.keySet());
      error(node, "invalid value " + text.shown() + " for " + path + "; expected "
          + Suggestions.alternatives(options.keySet()) + (nearest == null ? "" : " (did you mean '" + nearest + "'?)"));
    }
    return value;
  }

  /**
   * A list of strings, each at {@code PATH[i]}; null if absent or if any element is wrong.
   *
   * @param lenient accept numbers and booleans as their text ({@code args: [--port, 8080]})
   * @param allowEmpty accept empty strings as elements
   */
  List<Text> texts(Node node, String path, String example, boolean lenient, boolean allowEmpty) {
    List<Node> elements = list(node, path, "a list of strings like " + example);
    if (elements == null) {
      return null;
    }
    List<Text> texts = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < elements.size(); i++) {
      Node element = elements.get(i);
      String elementPath = path + "[" + i + "]";
      Text text = lenient ? text(element, elementPath, "a string") : string(element, elementPath, "a string");
      if (text == null && absent(element)) {
        expected(element, elementPath, "a string");
      }
      if (text != null && !allowEmpty && text.value().isEmpty()) {
        error(element, elementPath + ": must not be empty");
        text = null;
      }
      ok &= text != null;
      texts.add(text);
    }
    return ok ? texts : null;
  }

  /** Like {@link #texts} with the values only, for lists of names ({@code requires}, {@code capabilities}). */
  List<String> strings(Node node, String path, String example) {
    List<Text> texts = texts(node, path, example, false, false);
    return texts == null ? null : texts.stream().map(Text::value).toList();
  }

  /**
   * A map of names to text values, such as {@code env} and {@code headers}. The values are secrets: no
   * message ever shows them. Null when absent or wrong.
   */
  Map<String, String> secretMap(Node node, String path, String expected) {
    Fields fields = map(node, path, expected, null);
    if (fields == null) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    boolean ok = true;
    for (Fields.Entry entry : fields.entries()) {
      String entryPath = fields.path(entry.key());
      if (entry.key().isEmpty()) {
        error(entry.keyNode(), path + ": a name must not be empty");
        ok = false;
        continue;
      }
      Text text = text(entry.value(), entryPath, "a string");
      if (text == null && absent(entry.value())) {
        error(entry.value(), entryPath + ": expected a string, got nothing (write \"\" for an empty value)");
      }
      ok &= text != null;
      if (text != null) {
        values.put(entry.key(), text.value());
      }
    }
    return ok ? values : null;
  }

  /** An http or https URL with a host. */
  URI httpUrl(Node node, String path) {
    Text text = string(node, path, "an http or https URL");
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text.value().trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException invalid) {
      // reported below
    }
    error(node, "invalid URL " + text.shownUrl() + " for " + path
        + "; expected http:// or https:// with a host, like http://127.0.0.1:9001/mcp");
    return null;
  }

  /** A file system path, resolved against {@code base} when relative, normalized. */
  Path path(Node node, String path, Path base) {
    Text text = string(node, path, "a path");
    return text == null ? null : resolve(text, path, base);
  }

  Path resolve(Text text, String path, Path base) {
    if (text.value().isEmpty()) {
      error(text.node(), path + ": must not be empty");
      return null;
    }
    try {
      return base.resolve(text.value()).normalize();
    } catch (InvalidPathException invalid) {
      error(text.node(), "invalid path " + text.shown() + " for " + path);
      return null;
    }
  }
}
