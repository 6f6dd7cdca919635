package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> KEYS = List.of("command", "args", "env", "cwd", "url", "headers",
      "transport", "prefix", "default", "timeout", "max_timeout", "requires", "disabled");

  @Test
  void closeMisspellingsSuggestTheNearestKey() {
    assertThat(Suggestions.nearest("prefx", KEYS)).isEqualTo("prefix");
    assertThat(Suggestions.nearest("comand", KEYS)).isEqualTo("command");
    assertThat(Suggestions.nearest("hedaers", KEYS)).isEqualTo("headers");
    assertThat(Suggestions.nearest("max_timout", KEYS)).isEqualTo("max_timeout");
    assertThat(Suggestions.nearest("urls", KEYS)).isEqualTo("url");
  }

  @Test
  void caseAndSeparatorsDoNotHideAKey() {
    assertThat(Suggestions.nearest("maxTimeout", KEYS)).isEqualTo("max_timeout");
    assertThat(Suggestions.nearest("Max-Timeout", KEYS)).isEqualTo("max_timeout");
  }

  @Test
  void farWordsSuggestNothing() {
    assertThat(Suggestions.nearest("x", KEYS)).isNull();
    assertThat(Suggestions.nearest("image", KEYS)).isNull();
    assertThat(Suggestions.nearest("working_directory", KEYS)).isNull();
  }

  @Test
  void unknownKeyMessageSuggestsOrListsTheKnownKeys() {
    assertThat(Suggestions.unknownKey("prefx", "in servers.database", KEYS))
        .isEqualTo("unknown key 'prefx' in servers.database; did you mean 'prefix'?");
    assertThat(Suggestions.unknownKey("image", "in servers.database", List.of("command", "url")))
        .isEqualTo("unknown key 'image' in servers.database; known keys: command, url");
  }

  @Test
  void editDistanceCountsATranspositionAsOneEdit() {
    assertThat(Suggestions.distance("prefix", "perfix")).isEqualTo(1);
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
  }

  @Test
  void alternativesReadAsAList() {
    assertThat(Suggestions.alternatives(List.of("auto"))).isEqualTo("auto");
    assertThat(Suggestions.alternatives(List.of("auto", "streamable-http", "sse")))
        .isEqualTo("auto, streamable-http or sse");
  }
}
