package dev.switchboard.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.AuditConfig;
import dev.switchboard.jsonrpc.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit file: one valid JSON line per entry, whatever the names hold, none lost under concurrency. */
class AuditLogTest {
  @TempDir
  Path dir;

  @Test
  void namesWithQuotesControlCharactersAndUnicodeStayValidJson() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    String awkward = "a\"b\\c\nd\te\u0001f ünï 😀";
    try (AuditLog audit = new AuditLog(new AuditConfig(file), InstantSource.fixed(Instant.parse("2026-12-07T10:00:00Z")))) {
      audit.record(new AuditLog.Entry(awkward, "tools/call", awkward, null, "denied", -32602, 3, null));
      audit.record(new AuditLog.Entry("bob", "tools/call", "web_get_weather", "web", "ok", null, 12, "ab12"));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = Json.parse(lines.get(0));
    assertThat(first.get("time").asText()).isEqualTo("2026-12-07T10:00:00Z");
    assertThat(first.get("principal").asText()).isEqualTo(awkward);
    assertThat(first.get("name").asText()).isEqualTo(awkward);
    assertThat(first.has("backend")).isFalse();
    assertThat(first.get("code").asInt()).isEqualTo(-32602);
    assertThat(first.has("argumentsSha256")).isFalse();
    JsonNode second = Json.parse(lines.get(1));
    assertThat(second.get("backend").asText()).isEqualTo("web");
    assertThat(second.get("outcome").asText()).isEqualTo("ok");
    assertThat(second.has("code")).isFalse();
    assertThat(second.get("durationMs").asLong()).isEqualTo(12);
    assertThat(second.get("argumentsSha256").asText()).isEqualTo("ab12");
  }

  @Test
  void concurrentWritersShareFlushesWithoutLosingOrTearingALine() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    int threads = 8;
    int each = 500;
    AuditLog audit = new AuditLog(new AuditConfig(file), InstantSource.system());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String principal = "user" + t;
      started.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          audit.record(new AuditLog.Entry(principal, "tools/call", "tool" + i, "b", "ok", null, i, null));
        }
      }));
    }
    start.countDown();
    for (Thread thread : started) {
      thread.join(30_000);
    }
    // Every record has returned, so every line is in the file already (nothing waits for close).
    List<String> lines = Files.readAllLines(file);
    audit.close();
    assertThat(lines).hasSize(threads * each);
    assertThat(lines).allSatisfy(line -> assertThat(Json.parse(line).get("audit").asText()).isEqualTo("mcp"));
  }
}
