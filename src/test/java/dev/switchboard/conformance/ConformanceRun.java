package dev.switchboard.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.NpmTools;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the official MCP conformance suite ({@code @modelcontextprotocol/conformance}, installed by
 * bin/npm-tools) against a server URL with Node 22, in a working directory of its own, and reads
 * the verdict of each scenario from the {@code results/server-<scenario>-<timestamp>/checks.json}
 * files the suite writes. A scenario passes when none of its checks is a FAILURE, as in the suite's
 * own summary (warnings and informational checks do not fail it).
 *
 * <p>{@link #run} throws {@link AssertionError} when the suite cannot be judged: it outlives the
 * timeout, exits with a code other than 0 (all passed) or 1 (some failed), or writes no result.
 */
public final class ConformanceRun {
  /** The suite runs CI makes: which installed suite (npm alias), and the arguments that select its server scenarios. */
  public enum Suite {
    /** 0.1.16 has no requirement sets: its default server suite ("active", not pending). */
    V0_1_ACTIVE("v0.1-active", "conformance-0.1", List.of()),
    /** 0.2.0-alpha.12, what the 2025-11-25 revision requires, on the stateful wire (initialize handshake). */
    V0_2_2025_11_25("v0.2-2025-11-25", "conformance-0.2", List.of("--requirements", "2025-11-25")),
    /** 0.2.0-alpha.12, what the 2026-07-28 revision requires, on the stateless wire (per-request _meta). */
    V0_2_2026_07_28("v0.2-2026-07-28", "conformance-0.2", List.of("--requirements", "2026-07-28"));

    /** The name used in result files, fixture-passes.txt and expected-failures.txt. */
    public final String id;
    final String alias;
    final List<String> selection;

    Suite(String id, String alias, List<String> selection) {
      this.id = id;
      this.alias = alias;
      this.selection = selection;
    }

    public static Suite byId(String id) {
      for (Suite suite : values()) {
        if (suite.id.equals(id)) {
          return suite;
        }
      }
      throw new IllegalArgumentException("unknown conformance run '" + id + "'; known: "
          + Stream.of(values()).map(s -> s.id).toList());
    }
  }

  /** One scenario's verdict, with the failing checks as {@code id: message} for diagnostics. */
  public record Scenario(String name, boolean passed, int successes, int failures, int warnings, List<String> failedChecks) {
    public Scenario {
      failedChecks = List.copyOf(failedChecks);
    }

    /** The first failing check, shortened, or an empty string. */
    public String firstFailure() {
      return failedChecks.isEmpty() ? "" : failedChecks.get(0);
    }
  }

  /** What one run found; {@code scenarios} is sorted by name. */
  public record Outcome(Suite suite, String suiteVersion, URI url, int exitCode, Duration took, Map<String, Scenario> scenarios) {
    public Outcome {
      scenarios = java.util.Collections.unmodifiableMap(new TreeMap<>(scenarios));
    }

    public boolean passed(String scenario) {
      Scenario s = scenarios.get(scenario);
      return s != null && s.passed();
    }

    public List<String> passedNames() {
      return scenarios.values().stream().filter(Scenario::passed).map(Scenario::name).toList();
    }

    public String summary() {
      long passed = scenarios.values().stream().filter(Scenario::passed).count();
      return suite.id + " (" + suiteVersion + ") against " + url + ": " + passed + "/" + scenarios.size()
          + " scenarios passed in " + took.toMillis() + " ms";
    }

    /** Writes the outcome as JSON (read back with {@link #read}). */
    public void write(Path file) throws IOException {
      ObjectNode root = Json.object();
      root.put("run", suite.id);
      root.put("suite", suiteVersion);
      ArrayNode arguments = root.putArray("arguments");
      suite.selection.forEach(arguments::add);
      root.put("url", url.toString());
      root.put("exitCode", exitCode);
      root.put("millis", took.toMillis());
      ObjectNode all = root.putObject("scenarios");
      for (Scenario s : scenarios.values()) {
        ObjectNode node = all.putObject(s.name());
        node.put("passed", s.passed());
        node.put("successes", s.successes());
        node.put("failures", s.failures());
        node.put("warnings", s.warnings());
        ArrayNode failed = node.putArray("failedChecks");
        s.failedChecks().forEach(failed::add);
      }
      Files.createDirectories(file.getParent());
      Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    public static Outcome read(Path file) throws IOException {
      JsonNode root = Json.parse(Files.readString(file));
      Map<String, Scenario> scenarios = new TreeMap<>();
      root.path("scenarios").properties().forEach(e -> {
        JsonNode n = e.getValue();
        List<String> failed = new ArrayList<>();
        n.path("failedChecks").forEach(c -> failed.add(c.asText()));
        scenarios.put(e.getKey(), new Scenario(e.getKey(), n.path("passed").asBoolean(), n.path("successes").asInt(),
            n.path("failures").asInt(), n.path("warnings").asInt(), failed));
      });
      return new Outcome(Suite.byId(root.path("run").asText()), root.path("suite").asText(),
          URI.create(root.path("url").asText()), root.path("exitCode").asInt(), Duration.ofMillis(root.path("millis").asLong()),
          scenarios);
    }
  }

  private static final Pattern RESULT_DIR = Pattern.compile("server-(.+)-\\d{4}-\\d{2}-\\d{2}T[0-9-]+Z");
  private static final int MESSAGE_LIMIT = 240;

  private ConformanceRun() {}

  /**
   * Runs {@code suite} against {@code url}, in {@code workDir} (created if needed; the suite's
   * output goes to {@code workDir/output.txt}), and reads the results.
   */
  public static Outcome run(Suite suite, URI url, Path workDir, Duration timeout) throws IOException, InterruptedException {
    Path node = NpmTools.node22();
    Path main = NpmTools.conformanceSuite(suite.alias);
    Files.createDirectories(workDir);
    Path results = workDir.resolve("results");
    Path output = workDir.resolve("output.txt");
    List<String> command = new ArrayList<>(List.of(node.toString(), main.toString(), "server", "--url", url.toString(),
        "-o", results.toString()));
    command.addAll(suite.selection);
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("conformance run " + suite.id + " did not finish within " + timeout + "; output:\n" + tail(output));
      }
    } finally {
      NpmTools.stop(process);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    int exit = process.exitValue();
    Map<String, Scenario> scenarios = Files.isDirectory(results) ? read(results) : Map.of();
    if ((exit != 0 && exit != 1) || scenarios.isEmpty()) {
      throw new AssertionError("conformance run " + suite.id + " (" + String.join(" ", command) + ") exited with " + exit
          + " and wrote " + scenarios.size() + " scenario results; output:\n" + tail(output));
    }
    return new Outcome(suite, version(main), url, exit, took, scenarios);
  }

  private static Map<String, Scenario> read(Path results) throws IOException {
    Map<String, Scenario> scenarios = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(results)) {
      for (Path dir : dirs.sorted().toList()) {
        Matcher m = RESULT_DIR.matcher(dir.getFileName().toString());
        Path checks = dir.resolve("checks.json");
        if (m.matches() && Files.exists(checks)) {
          scenarios.put(m.group(1), scenario(m.group(1), Json.parse(Files.readString(checks))));
        }
      }
    }
    return scenarios;
  }

  private static Scenario scenario(String name, JsonNode checks) {
    int successes = 0;
    int failures = 0;
    int warnings = 0;
    List<String> failed = new ArrayList<>();
    for (JsonNode check : checks) {
      switch (check.path("status").asText()) {
        case "SUCCESS" -> successes++;
        case "WARNING" -> warnings++;
        case "FAILURE" -> {
          failures++;
          String message = check.path("errorMessage").asText(check.path("description").asText(""));
          failed.add(check.path("id").asText("?") + ": " + shorten(message));
        }
        default -> { } // INFO, SKIPPED: neither pass nor fail
      }
    }
    return new Scenario(name, failures == 0, successes, failures, warnings, failed);
  }

  private static String shorten(String message) {
    String oneLine = message.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MESSAGE_LIMIT ? oneLine : oneLine.substring(0, MESSAGE_LIMIT) + "…";
  }

  private static String version(Path main) throws IOException {
    JsonNode pkg = Json.parse(Files.readString(main.getParent().getParent().resolve("package.json")));
    return pkg.path("name").asText() + "@" + pkg.path("version").asText();
  }

  private static String tail(Path output) throws IOException {
    if (!Files.exists(output)) {
      return "(none)";
    }
    List<String> lines = Files.readAllLines(output);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
