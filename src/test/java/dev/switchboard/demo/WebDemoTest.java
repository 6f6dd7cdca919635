package dev.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code web} demo: synthetic weather and the log stream. */
class WebDemoTest {
  private InProcessServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = new InProcessServer(DemoServers.create("web", List.of(), Map.of()));
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.close();
  }

  private JsonNode weather(String city) {
    return server.callTool("get_weather", Json.object().put("city", city));
  }

  @Test
  void weatherIsTheSameForTheSameCityAndLabelledSynthetic() {
    JsonNode first = weather("Paris");
    JsonNode again = weather("  paris ");

    assertThat(first.get("isError").asBoolean()).isFalse();
    assertThat(first.at("/content/0/text").asText())
        .startsWith("Synthetic demo data (not a real forecast): Paris: ")
        .contains("°C, ");
    JsonNode data = first.get("structuredContent");
    assertThat(data.get("city").asText()).isEqualTo("Paris");
    assertThat(data.get("synthetic").asBoolean()).isTrue();
    assertThat(data.get("temperatureC").isInt()).isTrue();
    assertThat(data.get("conditions").asText()).isNotBlank();
    ObjectNode withoutCity = data.deepCopy();
    withoutCity.remove("city");
    ObjectNode againWithoutCity = again.get("structuredContent").deepCopy();
    againWithoutCity.remove("city");
    assertThat(againWithoutCity).isEqualTo(withoutCity);
    assertThat(weather("Paris")).isEqualTo(first);
  }

  @Test
  void weatherDiffersBetweenCities() {
    List<JsonNode> reports = List.of("Paris", "Tokyo", "Lima", "Oslo", "Cairo").stream()
        .map(city -> {
          ObjectNode data = weather(city).get("structuredContent").deepCopy();
          data.remove("city");
          return (JsonNode) data;
        })
        .toList();

    assertThat(reports).doesNotHaveDuplicates();
  }

  @Test
  void weatherWithoutACityIsAToolError() {
    JsonNode missing = server.callTool("get_weather", Json.object());
    JsonNode empty = weather("   ");

    assertThat(missing.get("isError").asBoolean()).isTrue();
    assertThat(missing.at("/content/0/text").asText()).isEqualTo("Missing required argument: city (a city name, e.g. Paris)");
    assertThat(empty.get("isError").asBoolean()).isTrue();
    assertThat(empty.at("/content/0/text").asText()).isEqualTo("Argument city must not be empty (a city name, e.g. Paris)");
  }

  @Test
  void streamLogsSendsProgressAndLogNotificationsInOrderBeforeTheResult() {
    ObjectNode params = InProcessServer.toolCall("stream_logs", Json.object().put("count", 3).put("interval_ms", 50));
    params.putObject("_meta").put("progressToken", 42);

    List<JsonNode> messages = server.untilResponse(server.sendRequest("tools/call", params));

    assertThat(messages).hasSize(7);
    JsonNode lineArray = messages.getLast().at("/result/structuredContent/lines");
    assertThat(lineArray.size()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      JsonNode progress = messages.get(2 * i);
      JsonNode log = messages.get(2 * i + 1);
      String line = lineArray.get(i).asText();
      assertThat(progress.get("method").asText()).isEqualTo("notifications/progress");
      assertThat(progress.get("params")).isEqualTo(Json.object()
          .put("progressToken", 42).put("progress", i + 1).put("total", 3).put("message", line));
      assertThat(log.get("method").asText()).isEqualTo("notifications/message");
      assertThat(log.get("params")).isEqualTo(Json.object()
          .put("level", "info").put("logger", "stream_logs").put("data", line));
      assertThat(line).contains("line " + (i + 1) + " of 3");
    }
    List<Instant> stamps = List.of(0, 1, 2).stream()
        .map(i -> Instant.parse(lineArray.get(i).asText().split(" ")[0]))
        .toList();
    assertThat(stamps).isSorted().doesNotHaveDuplicates();
    JsonNode result = messages.getLast().get("result");
    assertThat(result.get("isError").asBoolean()).isFalse();
    assertThat(result.at("/structuredContent/count").asInt()).isEqualTo(3);
    assertThat(result.at("/structuredContent/cancelled").asBoolean()).isFalse();
    assertThat(result.at("/content/0/text").asText()).startsWith("Streamed 3 log lines:\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"count\":0}                | Argument count must be an integer from 1 to 1000, got 0",
      "{\"count\":1001}             | Argument count must be an integer from 1 to 1000, got 1001",
      "{\"count\":2.5}              | Argument count must be an integer from 1 to 1000, got 2.5",
      "{\"count\":\"3\"}            | Argument count must be an integer from 1 to 1000, got \"3\"",
      "{\"interval_ms\":-1}         | Argument interval_ms must be an integer from 0 to 60000, got -1",
      "{\"interval_ms\":60001}      | Argument interval_ms must be an integer from 0 to 60000, got 60001",
  })
  void streamLogsRefusesOutOfRangeArguments(String arguments, String message) {
    JsonNode result = server.callTool("stream_logs", (ObjectNode) Json.parse(arguments));

    assertThat(result.get("isError").asBoolean()).isTrue();
    assertThat(result.at("/content/0/text").asText()).isEqualTo(message);
  }
}
