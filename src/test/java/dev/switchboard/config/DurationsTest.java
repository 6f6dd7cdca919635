package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest(name = "{0} is {1} ms")
  @CsvSource({
      "500ms, 500",
      "30s, 30000",
      "5m, 300000",
      "1h, 3600000",
      "1d, 86400000",
      "1m30s, 90000",
      "1h30m, 5400000",
      "2s500ms, 2500",
      "1d2h3m4s5ms, 93784005",
      "90, 90000",
      "0, 0",
      "0s, 0",
  })
  void validDurationsParse(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "''{0}'' is not a duration")
  @ValueSource(strings = {"", "5 minutes", "1.5s", "-5s", "5M", "5S", "s", "ms", "1s1m", "5mm", "30 s", "1h 30m",
      "99999999999999999999d", "999999999999999999d"})
  void invalidDurationsAreRejected(String text) {
    assertThat(Durations.parse(text)).isNull();
  }

  @ParameterizedTest(name = "{0} ms prints as {1}")
  @CsvSource({"0, 0s", "500, 500ms", "90000, 1m30s", "3600000, 1h", "600000, 10m", "86400001, 1d1ms"})
  void durationsFormatInTheirShortestConfigForm(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }
}
