package dev.switchboard.cache;

import dev.switchboard.access.Glob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ItemPolicyConfig;
import dev.switchboard.config.ItemPolicyConfig.CacheScope;
import dev.switchboard.jsonrpc.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
  private final Map<String, ItemPolicyConfig> tools = new LinkedHashMap<>();

  private void entry(String pattern, Duration cache, CacheScope scope) {
    tools.put(pattern, new ItemPolicyConfig(pattern, List.of(), cache, scope, null));
  }

  private static ObjectNode tool(String... hints) {
    ObjectNode definition = Json.object();
    ObjectNode annotations = definition.putObject("annotations");
    for (String hint : hints) {
      annotations.put(hint, true);
    }
    return definition;
  }

  @Test
  void onlyToolsThatOptInAreCached() {
    entry("web_get_weather", Duration.ofMinutes(5), null);
    CachePolicy policy = new CachePolicy(tools, null);
    assertThat(policy.rule("web_get_weather", null)).isEqualTo(new CachePolicy.Rule(Duration.ofMinutes(5), false));
    assertThat(policy.rule("web_other", tool("readOnlyHint"))).isNull();
    assertThat(policy.enabled()).isTrue();
    assertThat(new CachePolicy(Map.of(), null).enabled()).isFalse();
  }

  @Test
  void defaultTtlCoversReadOnlyToolsOnly() {
    CachePolicy policy = new CachePolicy(tools, Duration.ofSeconds(60));
    assertThat(policy.rule("db_query", tool("readOnlyHint"))).isEqualTo(new CachePolicy.Rule(Duration.ofSeconds(60), false));
    assertThat(policy.rule("db_write", tool())).isNull();
    assertThat(policy.rule("db_unknown", null)).isNull();
    ObjectNode falseHint = Json.object();
    falseHint.putObject("annotations").put("readOnlyHint", false);
    assertThat(policy.rule("db_query", falseHint)).isNull();
  }

  @Test
  void exactNameBeatsGlobsAndTheFirstGlobThatSetsCacheWins() {
    entry("db_*", null, null); // requires only, sets no cache
    entry("db_q*", Duration.ofSeconds(30), null);
    entry("db_*y", Duration.ofSeconds(99), null);
    entry("db_query", Duration.ofSeconds(5), null);
    CachePolicy policy = new CachePolicy(tools, null);
    assertThat(policy.rule("db_query", null).ttl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.rule("db_qx", null).ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.rule("db_xy", null).ttl()).isEqualTo(Duration.ofSeconds(99));
    assertThat(policy.rule("db_x", null)).isNull();
  }

  @Test
  void zeroOptsOutEvenOfTheDefault() {
    entry("db_list", Duration.ZERO, null);
    CachePolicy policy = new CachePolicy(tools, Duration.ofSeconds(60));
    assertThat(policy.rule("db_list", tool("readOnlyHint"))).isNull();
  }

  @Test
  void destructiveToolsNeedTheirExactName() {
    entry("*", Duration.ofSeconds(30), null);
    entry("fs_delete_cache", Duration.ofSeconds(10), null);
    CachePolicy policy = new CachePolicy(tools, Duration.ofSeconds(60));
    assertThat(policy.rule("fs_delete", tool("destructiveHint"))).isNull();
    assertThat(policy.rule("fs_weird", tool("readOnlyHint", "destructiveHint"))).isNull();
    assertThat(policy.rule("fs_delete_cache", tool("destructiveHint")).ttl()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void scopeComesFromTheEntryThatDecided() {
    entry("web_*", Duration.ofSeconds(30), CacheScope.SHARED);
    entry("web_private", Duration.ofSeconds(30), null);
    entry("db_query", null, CacheScope.SHARED);
    CachePolicy policy = new CachePolicy(tools, Duration.ofSeconds(60));
    assertThat(policy.rule("web_weather", null).shared()).isTrue();
    assertThat(policy.rule("web_private", null).shared()).isFalse();
    assertThat(policy.rule("db_query", tool("readOnlyHint"))).isEqualTo(new CachePolicy.Rule(Duration.ofSeconds(60), true));
  }

  @Test
  void globsMatchWholeNamesLiterally() {
    assertThat(Glob.of("a.b*").matches("a.bc")).isTrue();
    assertThat(Glob.of("a.b*").matches("axbc")).isFalse();
    assertThat(Glob.of("a?c").matches("abc")).isTrue();
    assertThat(Glob.of("a?c").matches("abbc")).isFalse();
  }
}
