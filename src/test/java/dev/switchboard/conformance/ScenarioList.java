package dev.switchboard.conformance;

import dev.switchboard.conformance.ConformanceRun.Suite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of conformance scenarios per run, read from a test resource with one
 * {@code run scenario  # reason} per line ({@code #} starts a comment; blank lines are ignored),
 * such as {@code conformance/fixture-passes.txt} and {@code conformance/expected-failures.txt}.
 */
record ScenarioList(String resource, Map<Suite, Map<String, String>> entries) {
  ScenarioList {
    Map<Suite, Map<String, String>> copy = new LinkedHashMap<>();
    entries.forEach((suite, scenarios) -> copy.put(suite, Map.copyOf(scenarios)));
    entries = Map.copyOf(copy);
  }

  /** Reads {@code resource} from the test class path; an unknown run or a line without a scenario is an error naming the line. */
  static ScenarioList read(String resource) throws IOException {
    Map<Suite, Map<String, String>> entries = new LinkedHashMap<>();
    try (InputStream in = ScenarioList.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + resource + " is missing");
      }
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        int hash = line.indexOf('#');
        String reason = hash < 0 ? "" : line.substring(hash + 1).strip();
        String[] words = (hash < 0 ? line : line.substring(0, hash)).strip().split("\\s+");
        if (words.length == 1 && words[0].isEmpty()) {
          continue;
        }
        if (words.length != 2) {
          throw new IllegalStateException(resource + ":" + (i + 1) + ": expected 'run scenario  # reason', got '" + line + "'");
        }
        Suite suite;
        try {
          suite = Suite.byId(words[0]);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(resource + ":" + (i + 1) + ": " + e.getMessage(), e);
        }
        entries.computeIfAbsent(suite, s -> new LinkedHashMap<>()).put(words[1], reason);
      }
    }
    return new ScenarioList(resource, entries);
  }

  /** The scenarios listed for {@code suite}, each with its reason (empty if none was given). */
  Map<String, String> of(Suite suite) {
    return entries.getOrDefault(suite, Map.of());
  }
}
