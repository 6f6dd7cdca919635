package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolatorTest {
  private static final Map<String, String> ENV = Map.of("HOST", "db.local", "PORT", "5432", "EMPTY", "");

  @Test
  void setVariablesAreReplaced() {
    assertThat(Interpolator.interpolate("jdbc://${HOST}:${PORT}/x", ENV))
        .isEqualTo(new Interpolator.Result("jdbc://db.local:5432/x", true, List.of()));
  }

  @Test
  void defaultIsUsedWhenTheVariableIsUnsetOrEmpty() {
    assertThat(Interpolator.interpolate("${MISSING:-fallback}", ENV).value()).isEqualTo("fallback");
    assertThat(Interpolator.interpolate("${EMPTY:-fallback}", ENV).value()).isEqualTo("fallback");
    assertThat(Interpolator.interpolate("${HOST:-fallback}", ENV).value()).isEqualTo("db.local");
    assertThat(Interpolator.interpolate("[${MISSING:-}]", ENV).value()).isEqualTo("[]");
    assertThat(Interpolator.interpolate("${MISSING:-a b:c}", ENV).value()).isEqualTo("a b:c");
  }

  @Test
  void setButEmptyVariableWithoutDefaultIsEmpty() {
    assertThat(Interpolator.interpolate("[${EMPTY}]", ENV))
        .isEqualTo(new Interpolator.Result("[]", true, List.of()));
  }

  @Test
  void doubleDollarEscapesALiteralReference() {
    assertThat(Interpolator.interpolate("$${HOST} costs $5 and $$", ENV))
        .isEqualTo(new Interpolator.Result("${HOST} costs $5 and $$", false, List.of()));
  }

  @Test
  void textWithoutReferencesIsUnchanged() {
    assertThat(Interpolator.interpolate("plain {{code}} $HOST", ENV))
        .isEqualTo(new Interpolator.Result("plain {{code}} $HOST", false, List.of()));
  }

  @Test
  void missingVariableNamesItselfAndSuggestsADefault() {
    assertThat(Interpolator.interpolate("Bearer ${WEB_TOKEN} ${OTHER}", ENV).errors()).containsExactly(
        "environment variable WEB_TOKEN is not set (use ${WEB_TOKEN:-default} for a default)",
        "environment variable OTHER is not set (use ${OTHER:-default} for a default)");
  }

  @Test
  void unclosedReferenceIsAnError() {
    assertThat(Interpolator.interpolate("x ${HOST", ENV).errors())
        .containsExactly("'${' without a closing '}' (write $${ for a literal ${)");
  }

  @Test
  void invalidNamesAndNestedDefaultsAreErrors() {
    String expected = "; expected ${NAME} or ${NAME:-default} where NAME is letters, digits and '_'";
    assertThat(Interpolator.interpolate("${1A}", ENV).errors()).containsExactly("invalid reference '${1A}'" + expected);
    assertThat(Interpolator.interpolate("${}", ENV).errors()).containsExactly("invalid reference '${}'" + expected);
    assertThat(Interpolator.interpolate("${A-b}", ENV).errors()).containsExactly("invalid reference '${A-b}'" + expected);
    assertThat(Interpolator.interpolate("${A:-${B}}", ENV).errors())
        .containsExactly("invalid reference '${A:-${B}'" + expected);
  }
}
