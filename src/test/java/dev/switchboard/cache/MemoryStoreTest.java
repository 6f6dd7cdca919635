package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  private static final byte[] RESULT = "{\"content\":[]}".getBytes(StandardCharsets.UTF_8);

  @Test
  void aServerDropLeavesWhatWasStoredAfterIt() {
    InstantSource clock = InstantSource.fixed(Instant.ofEpochMilli(1_000));
    try (MemoryStore store = new MemoryStore(1 << 20, clock, CacheListener.NONE)) {
      CacheKey before = new CacheKey("srv", "t", "a");
      CacheKey after = new CacheKey("srv", "t", "b");
      CacheKey other = new CacheKey("other", "u", "a");
      store.put(before, RESULT, 900, 60_000);
      store.put(after, RESULT, 950, 60_000);
      store.put(other, RESULT, 900, 60_000);

      // The drop was decided at 920 and runs late: the entry stored at 950 is newer and stays.
      assertThat(store.dropServer("srv", 920)).isEqualTo(1);

      assertThat(store.get(before)).isNull();
      assertThat(store.get(after)).isNotNull();
      assertThat(store.get(other)).isNotNull();
    }
  }
}
