package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache over the HTTP front, with two users' tokens (principals), the admin API and
 * /health, against the hub in serve mode and the fake backend as real processes.
 */
class CacheOverHttpTest {
  private static final Map<String, String> ALICE = Map.of("Authorization", "Bearer alice-token");
  private static final Map<String, String> BOB = Map.of("Authorization", "Bearer bob-token");
  private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer admin-secret");

  @TempDir
  Path dir;

  private HttpHub hub;
  private Path record;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private void start(String admin) throws IOException {
    record = dir.resolve("calls.jsonl");
    hub = HttpHub.start(dir, """
        users:
          alice: { token: alice-token }
          bob: { token: bob-token }
        %s
        servers:
          fake:
            command: %s
        tools:
          mine: { cache: 1m }
          ours: { cache: 1m, cache_scope: shared }
        """.formatted(admin, HubProcess.fakeBackend("--name", "fake", "--tools", "mine,ours,other", "--count-calls",
        "--record", record.toString())), Map.of());
  }

  private long backendCalls() {
    try {
      return Files.readAllLines(record).stream().filter(l -> l.contains("\"method\":\"tools/call\"")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tools/call in its own session of the given user; returns the result. */
  private JsonNode call(Map<String, String> user, String tool, String arguments) throws IOException {
    String session = hub.initialize("{}", user);
    Map<String, String> headers = new java.util.HashMap<>(user);
    headers.put("Mcp-Session-Id", session);
    HttpResponse<String> response = hub.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool + "\",\"arguments\":" + arguments + "}}", headers);
    List<ObjectNode> messages = HttpHub.messages(response);
    ObjectNode last = messages.getLast();
    assertThat(last.has("result")).as("answer %s", last).isTrue();
    return last.get("result");
  }

  private static String text(JsonNode result) {
    return result.at("/content/0/text").asText();
  }

  private static boolean hit(JsonNode result) {
    return result.path("_meta").path(ResultCache.META_KEY).path("hit").asBoolean(false);
  }

  @Test
  void oneUsersCachedResultIsNeverReturnedToAnother() throws Exception {
    start("");
    assertThat(text(call(ALICE, "mine", "{\"q\":1}"))).isEqualTo("fake:mine#1 {\"q\":1}");
    JsonNode bob = call(BOB, "mine", "{\"q\":1}");
    assertThat(hit(bob)).isFalse();
    assertThat(text(bob)).isEqualTo("fake:mine#2 {\"q\":1}");
    JsonNode aliceAgain = call(ALICE, "mine", "{\"q\":1}");
    assertThat(hit(aliceAgain)).isTrue();
    assertThat(text(aliceAgain)).isEqualTo("fake:mine#1 {\"q\":1}");
    JsonNode bobAgain = call(BOB, "mine", "{\"q\":1}");
    assertThat(hit(bobAgain)).isTrue();
    assertThat(text(bobAgain)).isEqualTo("fake:mine#2 {\"q\":1}");
    assertThat(backendCalls()).isEqualTo(2);
  }

  @Test
  void aSharedToolsResultServesEveryUser() throws Exception {
    start("");
    call(ALICE, "ours", "{}");
    JsonNode bob = call(BOB, "ours", "{}");
    assertThat(hit(bob)).isTrue();
    assertThat(text(bob)).isEqualTo("fake:ours#1 {}");
    assertThat(backendCalls()).isEqualTo(1);
  }

  @Test
  void theAdminApiNeedsTheAdminToken() throws Exception {
    start("admin: { token: admin-secret }");
    HttpResponse<String> none = hub.request("DELETE", "/admin/cache", Map.of());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(Json.parse(none.body()).path("error").asText())
        .isEqualTo("Unauthorized: send Authorization: Bearer ADMIN_TOKEN (the admin token from the config)");
    HttpResponse<String> user = hub.request("GET", "/admin/stats", ALICE);
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(Json.parse(user.body()).path("error").asText()).isEqualTo("Forbidden: the token is not the admin token");
    assertThat(hub.request("GET", "/admin/stats", Map.of("Authorization", "Bearer admin-secreT")).statusCode()).isEqualTo(403);
    assertThat(hub.request("GET", "/admin/stats", ADMIN).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAdminInTheConfigTheAdminApiSaysHowToTurnItOn() throws Exception {
    start("");
    HttpResponse<String> response = hub.request("GET", "/admin/stats", ALICE);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(Json.parse(response.body()).path("error").asText())
        .isEqualTo("The admin API is off: configure admin: {token: ...} (or token_sha256) in the config to use /admin/stats");
  }

  @Test
  void theAdminDropsOneToolsEntriesOrAllAndSeesTheCounters() throws Exception {
    start("admin: { token_sha256: " + sha256("admin-secret") + " }");
    call(ALICE, "mine", "{}");
    call(ALICE, "ours", "{}");
    assertThat(hit(call(ALICE, "mine", "{}"))).isTrue();

    HttpResponse<String> dropped = hub.request("DELETE", "/admin/cache?tool=mine", ADMIN);
    assertThat(dropped.statusCode()).isEqualTo(200);
    assertThat(Json.parse(dropped.body())).isEqualTo(Json.parse("{\"dropped\":1,\"tool\":\"mine\"}"));
    assertThat(hit(call(ALICE, "mine", "{}"))).isFalse();
    assertThat(hit(call(ALICE, "ours", "{}"))).isTrue();

    HttpResponse<String> all = hub.request("DELETE", "/admin/cache", ADMIN);
    assertThat(Json.parse(all.body()).path("dropped").asLong()).isEqualTo(2);
    assertThat(hit(call(BOB, "ours", "{}"))).isFalse();

    JsonNode stats = Json.parse(hub.request("GET", "/admin/stats", ADMIN).body());
    assertThat(stats.at("/store/store").asText()).isEqualTo("memory");
    assertThat(stats.at("/tools/mine/hits").asLong()).isEqualTo(1);
    assertThat(stats.at("/tools/mine/misses").asLong()).isEqualTo(2);
    assertThat(stats.at("/tools/ours/hits").asLong()).isEqualTo(1);
    assertThat(stats.at("/tools/ours/misses").asLong()).isEqualTo(2);
    assertThat(stats.at("/tools/mine/bypasses").asLong()).isZero();
    assertThat(stats.at("/totals/hits").asLong()).isEqualTo(2);
    assertThat(stats.has("tools")).isTrue();
    assertThat(stats.at("/tools/other").isMissingNode()).isTrue();
  }

  @Test
  void healthShowsTheCacheStore() throws Exception {
    start("");
    JsonNode health = Json.parse(hub.get("/health", Map.of()).body());
    assertThat(health.path("status").asText()).isEqualTo("healthy");
    assertThat(health.at("/checks/cache/status").asText()).isEqualTo("up");
    assertThat(health.at("/checks/cache/store").asText()).isEqualTo("memory");
    assertThat(health.at("/checks/cache/maxSizeBytes").asLong()).isEqualTo(64L * 1024 * 1024);
  }

  private static String sha256(String token) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
