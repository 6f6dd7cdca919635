package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache through the hub as a real process (stdio front, in-memory store), in front of
 * the fake backend as a real child process that records every message it receives, so the tests
 * count the calls that reached it.
 */
class ResultCacheTest {
  @TempDir
  Path dir;

  private HubProcess hub;
  private Path record;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  /** Starts the hub with one fake backend {@code fake} (no prefix) and the given extra YAML. */
  private McpLineClient start(String extraYaml, String... backendArgs) throws IOException {
    record = dir.resolve("calls.jsonl");
    List<String> args = new ArrayList<>(List.of("--name", "fake", "--count-calls", "--record", record.toString()));
    args.addAll(List.of(backendArgs));
    hub = HubProcess.start(dir, """
        servers:
          fake:
            command: %s
        %s""".formatted(HubProcess.fakeBackend(args.toArray(String[]::new)), extraYaml));
    McpLineClient client = hub.client();
    client.initialize();
    return client;
  }

  /** How many tools/call requests reached the backend. */
  private long backendCalls() {
    try {
      return Files.exists(record) ? Files.readAllLines(record).stream().filter(l -> l.contains("\"method\":\"tools/call\"")).count() : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode call(McpLineClient client, String tool, String arguments) {
    return client.result("tools/call", (ObjectNode) Json.parse("{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}"));
  }

  private static String text(JsonNode result) {
    return result.at("/content/0/text").asText();
  }

  private static boolean hit(JsonNode result) {
    return result.path("_meta").path(ResultCache.META_KEY).path("hit").asBoolean(false);
  }

  @Test
  void secondCallWithinTheTtlDoesNotReachTheBackendAndAfterItItDoes() throws Exception {
    McpLineClient client = start("""
        tools:
          weather: { cache: 300ms }
        """, "--tools", "weather");
    ObjectNode first = call(client, "weather", "{\"city\":\"Paris\"}");
    ObjectNode second = call(client, "weather", "{\"city\":\"Paris\"}");
    assertThat(text(first)).isEqualTo("fake:weather#1 {\"city\":\"Paris\"}");
    assertThat(text(second)).isEqualTo(text(first));
    assertThat(hit(first)).isFalse();
    assertThat(hit(second)).isTrue();
    assertThat(second.path("_meta").path(ResultCache.META_KEY).path("ageMs").asLong()).isBetween(0L, 300L);
    assertThat(backendCalls()).isEqualTo(1);
    ObjectNode fresh = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> call(client, "weather", "{\"city\":\"Paris\"}"), result -> !hit(result));
    assertThat(text(fresh)).isEqualTo("fake:weather#2 {\"city\":\"Paris\"}");
    assertThat(backendCalls()).isEqualTo(2);
  }

  @Test
  void argumentOrderAndNumberFormattingHitTheSameEntryAndDifferentArgumentsMiss() throws Exception {
    McpLineClient client = start("""
        tools:
          search: { cache: 1m }
        """, "--tools", "search");
    call(client, "search", "{\"a\":1,\"b\":2}");
    assertThat(hit(call(client, "search", "{\"b\":2,\"a\":1.0}"))).isTrue();
    assertThat(hit(call(client, "search", "{\"b\":2.00,\"a\":1e0}"))).isTrue();
    assertThat(backendCalls()).isEqualTo(1);
    assertThat(hit(call(client, "search", "{\"a\":1,\"b\":3}"))).isFalse();
    assertThat(hit(call(client, "search", "{\"a\":1}"))).isFalse();
    assertThat(backendCalls()).isEqualTo(3);
  }

  @Test
  void hundredConcurrentIdenticalCallsMakeOneBackendCall() throws Exception {
    McpLineClient client = start("""
        tools:
          sleep: { cache: 1m }
        """);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(client.requestAsync("tools/call", (ObjectNode) Json.parse("{\"name\":\"sleep\",\"arguments\":{\"ms\":500}}")));
    }
    for (long id : ids) {
      ObjectNode response = client.response(id);
      assertThat(response.has("result")).as("response %s", response).isTrue();
      assertThat(text(response.get("result"))).isEqualTo("fake:sleep#1 {\"ms\":500}");
    }
    assertThat(backendCalls()).isEqualTo(1);
  }

  @Test
  void errorResultsAndDestructiveToolsAreNeverCached() throws Exception {
    McpLineClient client = start("""
        tools:
          "*": { cache: 1m }
        cache:
          default_ttl: 1m
        """, "--tools", "fail,wipe,lookup", "--error-tools", "fail", "--annotations", "wipe=destructive,lookup=readOnly");
    for (int i = 0; i < 2; i++) {
      ObjectNode failed = call(client, "fail", "{}");
      assertThat(failed.path("isError").asBoolean()).isTrue();
      assertThat(hit(failed)).isFalse();
      assertThat(hit(call(client, "wipe", "{}"))).isFalse();
    }
    assertThat(backendCalls()).isEqualTo(4);
    call(client, "lookup", "{}");
    assertThat(hit(call(client, "lookup", "{}"))).isTrue();
    assertThat(backendCalls()).isEqualTo(5);
  }

  @Test
  void aDestructiveToolIsCachedOnlyWhenItsOwnNameSaysSo() throws Exception {
    McpLineClient client = start("""
        tools:
          wipe: { cache: 1m }
        """, "--tools", "wipe", "--annotations", "wipe=destructive");
    call(client, "wipe", "{}");
    assertThat(hit(call(client, "wipe", "{}"))).isTrue();
  }

  @Test
  void resultsThatSayNotToBeCachedAreNot() throws Exception {
    McpLineClient client = start("""
        tools:
          hinted: { cache: 1m }
        """, "--tools", "hinted");
    for (String hint : List.of("{\"ttlMs\":0}", "{\"resultType\":\"input_required\"}")) {
      call(client, "hinted", "{\"_result\":" + hint + "}");
      assertThat(hit(call(client, "hinted", "{\"_result\":" + hint + "}"))).as(hint).isFalse();
    }
    assertThat(backendCalls()).isEqualTo(4);
  }

  @Test
  void aBackendRestartDropsItsEntries() throws Exception {
    McpLineClient client = start("""
        tools:
          weather: { cache: 1m }
        """, "--tools", "weather");
    call(client, "weather", "{}");
    assertThat(hit(call(client, "weather", "{}"))).isTrue();
    client.request("tools/call", (ObjectNode) Json.parse("{\"name\":\"crash\",\"arguments\":{\"code\":3}}"));
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> hub.stderr().stream().filter(line -> line.contains("backend=fake up")).count() == 2);
    ObjectNode after = call(client, "weather", "{}");
    assertThat(hit(after)).isFalse();
    assertThat(text(after)).isEqualTo("fake:weather#1 {}"); // a new process counts from 1 again
  }

  @Test
  void listChangedDropsTheBackendsEntries() throws Exception {
    McpLineClient client = start("""
        tools:
          weather: { cache: 1m }
        """, "--tools", "weather");
    call(client, "weather", "{}");
    assertThat(hit(call(client, "weather", "{}"))).isTrue();
    call(client, "add_tool", "{\"name\":\"new_tool\"}");
    hub.awaitLog(line -> line.contains("dropped") && line.contains("re-listed"), Duration.ofSeconds(10));
    assertThat(hit(call(client, "weather", "{}"))).isFalse();
    assertThat(backendCalls()).isEqualTo(3);
  }

  @Test
  void pingIsAnsweredWithTheMemoryStore() throws Exception {
    McpLineClient client = start("""
        tools:
          weather: { cache: 1m }
        """, "--tools", "weather");
    assertThat(client.result("ping", Json.object())).isEqualTo(Json.object());
  }
}
