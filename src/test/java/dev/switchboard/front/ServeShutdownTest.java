package dev.switchboard.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HttpClients;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.ServeProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code switchboard serve} ends on SIGTERM while a client is being served. */
class ServeShutdownTest {
  @TempDir
  Path dir;

  private ServeProcess hub;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    HttpClients.end(http, Duration.ofSeconds(10));
    if (hub != null) {
      hub.close();
      assertThat(hub.survivors()).isEmpty();
    }
  }

  private HttpRequest.Builder post(String sessionId, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(hub.baseUri().resolve("/mcp"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (sessionId != null) {
      builder.header("Mcp-Session-Id", sessionId);
    }
    return builder;
  }

  /**
   * Helidon registers its own JVM shutdown hook by default, which stopped the server alongside the
   * serve command's hook and cut requests in flight after its 500 ms grace period, instead of the
   * {@code shutdown_grace} the HTTP front's drain promises.
   */
  @Test
  void aStreamableHttpCallInFlightAtSigtermIsStillAnswered() throws Exception {
    Path record = dir.resolve("record.jsonl");
    hub = ServeProcess.start(dir, """
        hub:
          shutdown_grace: 10s
        servers:
          fake:
            command: %s
        """.formatted(HubProcess.fakeBackend("--name", "fake", "--record", record.toString())));
    HttpResponse<String> init = http.send(post(null, """
        {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},\
        "clientInfo":{"name":"t","version":"1"}}}""").build(), HttpResponse.BodyHandlers.ofString());
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();

    CompletableFuture<HttpResponse<String>> call = http.sendAsync(post(session, """
        {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":2000}}}""").build(),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(record)
        && Files.readAllLines(record).stream().anyMatch(line -> line.contains("\"name\":\"sleep\"")));
    hub.process().destroy(); // SIGTERM

    HttpResponse<String> answer = call.get(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    ObjectNode body = (ObjectNode) Json.parse(answer.body());
    assertThat(body.at("/result/content/0/text").asText()).isEqualTo("fake:sleep {\"ms\":2000}");
    assertThat(hub.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
  }
}
