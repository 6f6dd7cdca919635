package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CacheStatsTest {
  @Test
  void countersArePerToolWithTotals() {
    CacheStats stats = new CacheStats();
    stats.hit("a");
    stats.hit("a");
    stats.miss("a");
    stats.bypass("b");
    stats.evicted("b");
    ObjectNode json = stats.toJson();
    assertThat(json.at("/tools/a/hits").asLong()).isEqualTo(2);
    assertThat(json.at("/tools/a/misses").asLong()).isEqualTo(1);
    assertThat(json.at("/tools/b/bypasses").asLong()).isEqualTo(1);
    assertThat(json.at("/tools/b/evictions").asLong()).isEqualTo(1);
    assertThat(json.at("/totals/hits").asLong()).isEqualTo(2);
    assertThat(json.at("/totals/collapsed").asLong()).isZero();
  }

  @Test
  void namesClientsInventDoNotGrowTheCountersWithoutBound() {
    CacheStats stats = new CacheStats();
    for (int i = 0; i < CacheStats.MAX_TOOLS + 50; i++) {
      stats.miss("tool" + i);
    }
    assertThat(stats.toJson().path("tools").size()).isEqualTo(CacheStats.MAX_TOOLS + 1);
    assertThat(stats.count(CacheStats.OTHER, "misses")).isEqualTo(50);
    stats.miss("tool1");
    assertThat(stats.count("tool1", "misses")).isEqualTo(2);
  }
}
