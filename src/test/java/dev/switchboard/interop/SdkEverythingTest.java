package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.NpmTools;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Java SDK client, over Streamable HTTP, through the hub to server-everything over
 * stdio: its progress tool, sampling and elicitation triggers (answered by the SDK's own handlers),
 * resources and prompts.
 */
class SdkEverythingTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private HttpHub hub;
  private McpSyncClient client;
  private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
  private final List<McpSchema.CreateMessageRequest> samplingRequests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect() throws Exception {
    Path main = NpmTools.require("server-everything");
    hub = HttpHub.start(dir, "servers:\n  everything:\n    command: [node, \"" + main + "\", stdio]\n    prefix: ev_\n", Map.of());
    client = McpClient.sync(HttpClientStreamableHttpTransport.builder(hub.base().toString()).endpoint("/mcp")
            .jsonMapper(McpJsonDefaults.getMapper()).build())
        .requestTimeout(TIMEOUT)
        .initializationTimeout(TIMEOUT)
        .clientInfo(new McpSchema.Implementation("sdk-everything", "1"))
        .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().build())
        .progressConsumer(progress::add)
        .sampling(request -> {
          samplingRequests.add(request);
          return McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
              .content(new McpSchema.TextContent("sampled by the SDK")).model("test-model").build();
        })
        .elicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
            Map.of("name", "Ada Lovelace", "check", true)))
        .build();
    client.initialize();
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.closeGracefully();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void progressOfALongRunningOperationReachesTheSdk() {
    McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder().name("ev_trigger-long-running-operation")
        .arguments(Map.of("duration", 1, "steps", 4)).progressToken("long-op").build());
    assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> progress.size() >= 4);
    assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("long-op"));
  }

  @Test
  void samplingFromTheBackendIsAnsweredByTheSdksHandler() {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("ev_trigger-sampling-request",
        Map.of("prompt", "say hi", "maxTokens", 5)));
    assertThat(samplingRequests).hasSize(1);
    assertThat(result.content().toString()).contains("sampled by the SDK");
  }

  @Test
  void elicitationFromTheBackendIsAnsweredByTheSdksHandler() {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("ev_trigger-elicitation-request", Map.of()));
    assertThat(result.content().toString()).contains("Ada Lovelace");
  }

  @Test
  void resourcesAndPromptsAreServedThroughTheHub() {
    List<McpSchema.Resource> resources = client.listResources().resources();
    assertThat(resources).isNotEmpty();
    McpSchema.ReadResourceResult read = client.readResource(new McpSchema.ReadResourceRequest(resources.getFirst().uri()));
    assertThat(read.contents()).isNotEmpty();
    assertThat(client.listPrompts().prompts()).extracting(McpSchema.Prompt::name).contains("ev_simple-prompt");
    McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest("ev_simple-prompt", Map.of()));
    assertThat(prompt.messages()).isNotEmpty();
  }
}
