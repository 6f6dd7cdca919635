package dev.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.conformance.ConformanceRun.Outcome;
import dev.switchboard.conformance.ConformanceRun.Suite;
import dev.switchboard.testing.NpmTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official MCP conformance suite against {@link ConformanceFixture} directly, over Streamable
 * HTTP, once per {@link Suite}. Each outcome is written to
 * {@code target/conformance/fixture-<run>.json} (ConformanceThroughHubTest compares the hub with
 * it), and every scenario listed in {@code conformance/fixture-passes.txt} must still pass, so a
 * regression of the fixture, or a suite upgrade that changes the verdicts, is noticed.
 */
@Tag("conformance")
class ConformanceFixtureTest {
  static final Path RESULTS = Path.of(System.getProperty("user.dir"), "target", "conformance");
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  @TempDir
  static Path dir;

  private static FixtureServer fixture;

  @BeforeAll
  static void startFixture() throws Exception {
    NpmTools.node22(); // skip (or fail in CI) before starting anything when the suite cannot run
    fixture = FixtureServer.start(dir);
  }

  @AfterAll
  static void stopFixture() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Suite.class)
  void fixtureStillPassesEveryScenarioItPassedBefore(Suite suite) throws Exception {
    Outcome outcome = ConformanceRun.run(suite, fixture.url(), dir.resolve(suite.id), RUN_TIMEOUT);
    outcome.write(RESULTS.resolve("fixture-" + suite.id + ".json"));
    System.out.println(outcome.summary());

    Map<String, String> floor = ScenarioList.read("conformance/fixture-passes.txt").of(suite);
    List<String> regressions = floor.keySet().stream().filter(s -> !outcome.passed(s)).sorted().toList();
    List<String> beyondFloor = outcome.passedNames().stream().filter(s -> !floor.containsKey(s)).toList();
    if (!beyondFloor.isEmpty()) {
      System.out.println("passing but not yet in fixture-passes.txt (add them to raise the floor): " + beyondFloor);
    }
    assertThat(regressions)
        .as("%s: scenarios listed in conformance/fixture-passes.txt that the fixture no longer passes:%n%s",
            outcome.summary(), describe(outcome, regressions))
        .isEmpty();
  }

  static String describe(Outcome outcome, List<String> scenarios) {
    StringBuilder text = new StringBuilder();
    for (String name : scenarios) {
      ConformanceRun.Scenario s = outcome.scenarios().get(name);
      text.append("  ").append(name).append(": ")
          .append(s == null ? "not run by this suite" : String.join("; ", s.failedChecks())).append('\n');
    }
    return text.toString();
  }
}
