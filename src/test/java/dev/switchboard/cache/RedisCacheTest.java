package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import dev.switchboard.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis store through the hub as real processes: two hub instances share entries through the
 * shared Redis at 127.0.0.1:6379 (a server name of this run's own keeps parallel runs apart), and
 * an outage of a Redis this test starts and stops itself.
 */
class RedisCacheTest {
  @TempDir
  Path dir;

  private final String server = "cache" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
  private AutoCloseable[] closeLast = new AutoCloseable[0];
  private HubProcess first;
  private HubProcess second;
  private HttpHub http;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {first, second, http}) {
      if (c != null) {
        c.close();
      }
    }
    for (AutoCloseable c : closeLast) {
      c.close();
    }
  }

  private String yaml(String store, Path record) {
    return """
        servers:
          %s:
            command: %s
        tools:
          weather: { cache: 1m }
        cache:
          store: %s
        """.formatted(server, HubProcess.fakeBackend("--name", server, "--tools", "weather", "--count-calls",
        "--record", record.toString()), store);
  }

  private static long backendCalls(Path record) {
    try {
      return !Files.exists(record) ? 0
          : Files.readAllLines(record).stream().filter(l -> l.contains("\"method\":\"tools/call\"")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean hit(JsonNode result) {
    return result.path("_meta").path(ResultCache.META_KEY).path("hit").asBoolean(false);
  }

  private static ObjectNode weather(McpLineClient client, String city) {
    return client.result("tools/call", (ObjectNode) Json.parse(
        "{\"name\":\"weather\",\"arguments\":{\"city\":\"" + city + "\"}}"));
  }

  @Test
  void twoHubInstancesShareEntriesThroughRedis() throws Exception {
    Path recordA = dir.resolve("a/calls.jsonl");
    Path recordB = dir.resolve("b/calls.jsonl");
    Files.createDirectories(recordA.getParent());
    Files.createDirectories(recordB.getParent());
    first = HubProcess.start(recordA.getParent(), yaml(RedisServer.SHARED, recordA));
    second = HubProcess.start(recordB.getParent(), yaml(RedisServer.SHARED, recordB));
    McpLineClient a = first.client();
    McpLineClient b = second.client();
    a.initialize();
    b.initialize();
    awaitConnected(first);
    awaitConnected(second);

    ObjectNode fromA = weather(a, "Paris");
    assertThat(hit(fromA)).isFalse();
    ObjectNode fromB = Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> weather(b, "Paris"), RedisCacheTest::hit);
    assertThat(fromB.at("/content/0/text").asText()).isEqualTo(fromA.at("/content/0/text").asText())
        .isEqualTo(server + ":weather#1 {\"city\":\"Paris\"}");
    assertThat(backendCalls(recordA)).isEqualTo(1);
    assertThat(backendCalls(recordB)).isZero();
    assertThat(fromB.at("/_meta/" + ResultCache.META_KEY.replace("/", "~1") + "/ageMs").asLong()).isBetween(0L, 60_000L);

    ObjectNode lyon = weather(b, "Lyon");
    assertThat(hit(lyon)).isFalse();
    assertThat(backendCalls(recordB)).isEqualTo(1);
  }

  private static void awaitConnected(HubProcess hub) {
    hub.awaitLog(line -> line.contains("cache store redis://127.0.0.1:6379 connected"), Duration.ofSeconds(20));
  }

  @Test
  void whenRedisStopsCallsKeepSucceedingHealthDegradesAndItRecovers() throws Exception {
    RedisServer redis = RedisServer.start(dir.resolve("redis"));
    closeLast = new AutoCloseable[] {redis};
    Path record = dir.resolve("calls.jsonl");
    http = HttpHub.start(dir, yaml(redis.uri(), record), Map.of());
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> cacheStatus().equals("up"));
    String session = http.initialize();

    assertThat(hit(call(session, "Paris"))).isFalse();
    assertThat(hit(call(session, "Paris"))).isTrue();

    redis.stop();
    for (int i = 0; i < 5; i++) {
      JsonNode result = call(session, "Paris");
      assertThat(hit(result)).isFalse();
      assertThat(result.at("/content/0/text").asText()).startsWith(server + ":weather#");
    }
    assertThat(backendCalls(record)).isEqualTo(6);
    HttpResponse<String> health = http.get("/health", Map.of());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = Json.parse(health.body());
    assertThat(body.path("status").asText()).isEqualTo("degraded");
    assertThat(body.at("/checks/cache/status").asText()).isEqualTo("degraded");
    assertThat(body.at("/checks/cache/store").asText()).isEqualTo(redis.uri());
    assertThat(body.at("/checks/cache/error").asText()).isNotEmpty();

    // A client's ping is answered after the hub checks its store, without waiting for it.
    long start = System.nanoTime();
    List<ObjectNode> ping = HttpHub.messages(http.post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}",
        Map.of("Mcp-Session-Id", session)));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(ping.getLast().at("/result/_meta/" + ResultCache.META_KEY.replace("/", "~1") + "/status").asText())
        .isEqualTo("degraded");
    assertThat(http.stderr().stream().filter(line -> line.contains("is unreachable"))).hasSize(1);

    redis.startAgain();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> cacheStatus().equals("up"));
    assertThat(http.stderr()).anySatisfy(line -> assertThat(line).contains("cache store " + redis.uri() + " is back after"));
    assertThat(Json.parse(http.get("/health", Map.of()).body()).path("status").asText()).isEqualTo("healthy");
    assertThat(hit(call(session, "Paris"))).isFalse(); // the restarted Redis is empty
    assertThat(hit(call(session, "Paris"))).isTrue();
    assertThat(http.stderr().stream().filter(line -> line.contains("is unreachable"))).hasSize(1);
  }

  private String cacheStatus() throws IOException {
    return Json.parse(http.get("/health", Map.of()).body()).at("/checks/cache/status").asText();
  }

  private JsonNode call(String session, String city) throws IOException {
    List<ObjectNode> messages = HttpHub.messages(http.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"weather\",\"arguments\":{\"city\":\"" + city + "\"}}}", Map.of("Mcp-Session-Id", session)));
    ObjectNode last = messages.getLast();
    assertThat(last.has("result")).as("answer %s", last).isTrue();
    return last.get("result");
  }
}
