package dev.switchboard.front;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.SseReader;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming through the HTTP front: notifications arrive as they happen, and each client sees only its own. */
class StreamingTest {
  @TempDir
  Path dir;

  private HttpHub hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  /** A received message with the time it arrived. */
  private record Arrival(JsonNode message, long nanos) {}

  private static List<Arrival> read(HttpResponse<InputStream> response) throws Exception {
    List<Arrival> arrivals = new ArrayList<>();
    try (InputStream body = response.body()) {
      SseReader reader = new SseReader(body, 1 << 20);
      SseReader.Event event;
      while ((event = reader.next()) != null) {
        if (!event.data().isBlank()) {
          arrivals.add(new Arrival(Json.parse(event.data()), System.nanoTime()));
        }
      }
    }
    return arrivals;
  }

  @Test
  void streamLogsLinesArriveOneByOneNotAllAtTheEnd() throws Exception {
    hub = HttpHub.start(dir, "servers:\n  web:\n    command: [switchboard, demo-server, web]\n    prefix: web_\n", Map.of());
    String session = hub.initialize();
    HttpResponse<InputStream> response = hub.postStreaming("""
        {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"web_stream_logs","arguments":{"count":5,"interval_ms":300},
         "_meta":{"progressToken":"logs-1"}}}""", Map.of("Mcp-Session-Id", session));
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    List<Arrival> arrivals = read(response);
    Arrival first = arrivals.getFirst();
    Arrival last = arrivals.getLast();
    assertThat(last.message().get("id").asInt()).isEqualTo(1);
    assertThat(arrivals.stream().filter(a -> "notifications/progress".equals(a.message().path("method").asText()))).hasSize(5);
    // Five lines 300 ms apart: the first must reach us long before the result (about 1.2 s), not
    // with it; a cold JVM may hold the first line back a little, so ask for two intervals' worth.
    assertThat(TimeUnit.NANOSECONDS.toMillis(last.nanos() - first.nanos())).isGreaterThan(600);
  }

  @Test
  void twoClientsUsingTheSameProgressTokenSeeOnlyTheirOwnProgress() throws Exception {
    hub = HttpHub.start(dir, "servers:\n  alpha:\n    command: " + HubProcess.fakeBackend("--name", "alpha") + "\n", Map.of());
    String a = hub.initialize();
    String b = hub.initialize();
    String call = """
        {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"progress","arguments":{"count":%d,"interval_ms":50},
         "_meta":{"progressToken":"same"}}}""";
    HttpResponse<InputStream> responseA = hub.postStreaming(call.formatted(3), Map.of("Mcp-Session-Id", a));
    HttpResponse<InputStream> responseB = hub.postStreaming(call.formatted(7), Map.of("Mcp-Session-Id", b));
    CompletableFuture<List<Arrival>> readA = CompletableFuture.supplyAsync(() -> unchecked(responseA));
    CompletableFuture<List<Arrival>> readB = CompletableFuture.supplyAsync(() -> unchecked(responseB));
    List<Arrival> arrivalsA = readA.get(30, TimeUnit.SECONDS);
    List<Arrival> arrivalsB = readB.get(30, TimeUnit.SECONDS);
    assertThat(arrivalsA.stream().filter(x -> x.message().has("method"))).hasSize(3)
        .allSatisfy(x -> assertThat(x.message().at("/params/total").asInt()).isEqualTo(3));
    assertThat(arrivalsB.stream().filter(x -> x.message().has("method"))).hasSize(7)
        .allSatisfy(x -> assertThat(x.message().at("/params/total").asInt()).isEqualTo(7));
  }

  private static List<Arrival> unchecked(HttpResponse<InputStream> response) {
    try {
      return read(response);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
