package dev.switchboard.conformance;

import dev.switchboard.conformance.ConformanceRun.Outcome;
import dev.switchboard.conformance.ConformanceRun.Scenario;
import dev.switchboard.conformance.ConformanceRun.Suite;
import dev.switchboard.testing.EndAtExit;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.NpmTools;
import dev.switchboard.testing.TestJava;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official MCP conformance suite against the hub's HTTP front ({@code switchboard serve}) with
 * {@link ConformanceFixture} behind it as a stdio backend, under no prefix so the suite finds the
 * names it expects. Every scenario must pass through the hub (in particular every one the fixture
 * passes directly), unless {@code conformance/expected-failures.txt} lists it with its reason; a
 * listed scenario that passes through the hub fails the test until its line is removed, so the list
 * only shrinks.
 *
 * <p>The direct verdicts come from {@code target/conformance/fixture-<run>.json} when
 * ConformanceFixtureTest wrote it in this same test JVM, else from running the fixture here. While
 * {@code serve} answers "not built yet" (exit code 2), the tests are skipped with that message.
 */
@Tag("conformance")
class ConformanceThroughHubTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;

  private static Process hub;
  private static URI mcp;
  private static FixtureServer directFixture;

  @BeforeAll
  static void startHubWithTheFixtureBehindIt() throws Exception {
    NpmTools.node22(); // skip (or fail in CI) before starting anything when the suite cannot run
    int port = NpmTools.freePort();
    List<String> fixture = new ArrayList<>(TestJava.command(ConformanceFixture.class.getName()));
    fixture.add("--stdio");
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, """
        listen: 127.0.0.1:%d
        servers:
          fixture:
            command: %s
        """.formatted(port, HubProcess.yamlList(fixture)));
    List<String> command = new ArrayList<>(TestJava.command("dev.switchboard.cli.Main"));
    command.addAll(List.of("--config", config.toString(), "serve"));
    Path log = dir.resolve("hub.log");
    hub = EndAtExit.register(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start());
    URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    mcp = URI.create("http://127.0.0.1:" + port + "/mcp");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (!hub.isAlive()) {
          return true; // judged below
        }
        try {
          return http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
          return false;
        }
      });
    } catch (ConditionTimeoutException e) {
      Assertions.fail("the hub did not answer 200 on " + ready + " within " + START_TIMEOUT + "; its output:\n"
          + Files.readString(log), e);
    }
    if (!hub.isAlive()) {
      String output = Files.readString(log);
      if (hub.exitValue() == 2 && output.contains("not built yet")) {
        Assumptions.abort("'switchboard serve' is not built yet (exit code 2: " + output.strip()
            + "); ConformanceThroughHubTest runs once the HTTP front exists");
      }
      Assertions.fail("'switchboard --config " + config + " serve' exited with " + hub.exitValue() + "; its output:\n" + output);
    }
  }

  @AfterAll
  static void stopEverything() {
    NpmTools.stop(hub);
    if (directFixture != null) {
      directFixture.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Suite.class)
  void everyScenarioTheFixturePassesDirectlyAlsoPassesThroughTheHub(Suite suite) throws Exception {
    Outcome direct = direct(suite);
    Outcome viaHub = ConformanceRun.run(suite, mcp, dir.resolve("hub-" + suite.id), ConformanceFixtureTest.RUN_TIMEOUT);
    viaHub.write(ConformanceFixtureTest.RESULTS.resolve("hub-" + suite.id + ".json"));
    Map<String, String> expected = ScenarioList.read("conformance/expected-failures.txt").of(suite);

    List<String> problems = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(direct.scenarios().keySet());
    names.addAll(viaHub.scenarios().keySet());
    names.addAll(expected.keySet());
    StringBuilder table = new StringBuilder(String.format("%-48s %-7s %-7s %-9s %s%n",
        "scenario (" + suite.id + ")", "direct", "hub", "expected", "first failing check through the hub"));
    for (String name : names) {
      boolean directPass = direct.passed(name);
      boolean hubPass = viaHub.passed(name);
      boolean listed = expected.containsKey(name);
      String mark = "";
      boolean ran = viaHub.scenarios().containsKey(name);
      if (ran && !hubPass && !listed) {
        mark = directPass ? "  <- fails through the hub only" : "  <- fails through the hub, not listed";
        problems.add(name + (directPass ? ": passes directly, fails through the hub"
            : ": fails through the hub and is not in expected-failures.txt (add it, with the reason)"));
      } else if (listed && hubPass) {
        mark = "  <- passes now: remove it from expected-failures.txt";
        problems.add(name + ": passes through the hub now; remove it from expected-failures.txt");
      }
      Scenario s = viaHub.scenarios().get(name);
      table.append(String.format("%-48s %-7s %-7s %-9s %s%s%n", name, verdict(direct, name), verdict(viaHub, name),
          listed ? "listed" : "-", s == null ? "" : abbreviate(s.firstFailure(), 110), mark));
    }
    System.out.println(direct.summary() + "\n" + viaHub.summary() + "\n" + table);
    if (!problems.isEmpty()) {
      Assertions.fail(viaHub.summary() + "\n" + String.join("\n", problems) + "\n\n" + table);
    }
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  private static String verdict(Outcome outcome, String scenario) {
    Scenario s = outcome.scenarios().get(scenario);
    return s == null ? "absent" : s.passed() ? "pass" : "FAIL";
  }

  /** The fixture's own verdicts: from this JVM's ConformanceFixtureTest if it ran, else measured now. */
  private static Outcome direct(Suite suite) throws Exception {
    Path written = ConformanceFixtureTest.RESULTS.resolve("fixture-" + suite.id + ".json");
    Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.MAX);
    if (Files.exists(written) && Files.getLastModifiedTime(written).toInstant().isAfter(jvmStart)) {
      return Outcome.read(written);
    }
    if (directFixture == null) {
      directFixture = FixtureServer.start(dir.resolve("direct"));
    }
    return ConformanceRun.run(suite, directFixture.url(), dir.resolve("direct-" + suite.id), ConformanceFixtureTest.RUN_TIMEOUT);
  }
}
