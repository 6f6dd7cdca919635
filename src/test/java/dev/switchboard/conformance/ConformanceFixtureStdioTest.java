package dev.switchboard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import dev.switchboard.testing.TestJava;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConformanceFixture} in {@code --stdio} mode, the way ConformanceThroughHubTest runs it: as
 * a backend of the hub, here behind the stdio front, which needs neither Node nor the HTTP front.
 */
class ConformanceFixtureStdioTest {
  @TempDir
  Path dir;

  @Test
  void fixtureOverStdioServesTheSuitesToolNamesUnprefixedBehindTheHub() throws Exception {
    List<String> fixture = new ArrayList<>(TestJava.command(ConformanceFixture.class.getName()));
    fixture.add("--stdio");
    try (HubProcess hub = HubProcess.start(dir, """
        servers:
          fixture:
            command: %s
        """.formatted(HubProcess.yamlList(fixture)))) {
      McpLineClient client = hub.client();
      client.initialize();

      ObjectNode list = client.result("tools/list", Json.object());
      assertThat(list.get("tools").findValuesAsText("name")).contains("test_simple_text", "test_image_content",
          "test_tool_with_progress", "test_sampling", "test_elicitation_sep1330_enums", "json_schema_2020_12_tool");
      ObjectNode text = client.result("tools/call", (ObjectNode) Json.parse("{\"name\":\"test_simple_text\",\"arguments\":{}}"));
      assertThat(text.at("/content/0/text").asText()).isEqualTo("This is a simple text response for testing.");
      ObjectNode error = client.result("tools/call", (ObjectNode) Json.parse("{\"name\":\"test_error_handling\",\"arguments\":{}}"));
      assertThat(error.get("isError").asBoolean()).isTrue();

      assertThat(hub.stop(Duration.ofSeconds(30))).isZero();
      assertThat(hub.survivors()).as("processes left behind by the hub (the fixture must exit with its stdin)").isEmpty();
    }
  }
}
