package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpHub;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official MCP Java SDK as an independent client of the hub's HTTP front: Streamable HTTP and legacy SSE. */
class SdkHttpClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private HttpHub hub;
  private McpSyncClient client;

  @BeforeEach
  void startHub() throws Exception {
    hub = HttpHub.start(dir, """
        servers:
          database:
            command: [switchboard, demo-server, database, --db, "%s"]
            prefix: db_
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        prompts:
          code_review:
            description: Review code
            arguments: [ { name: code, required: true } ]
            messages: [ { role: user, text: "Review:\\n{{code}}" } ]
        """.formatted(dir.resolve("demo.db")), Map.of());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    hub.close();
  }

  private McpSyncClient connect(McpClientTransport transport, List<McpSchema.ProgressNotification> progress) {
    client = McpClient.sync(transport)
        .requestTimeout(TIMEOUT)
        .initializationTimeout(TIMEOUT)
        .clientInfo(new McpSchema.Implementation("sdk-http", "1"))
        .progressConsumer(progress::add)
        .build();
    client.initialize();
    return client;
  }

  @Test
  void theSdkUsesTheHubOverStreamableHttp() {
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    McpSyncClient sdk = connect(HttpClientStreamableHttpTransport.builder(hub.base().toString()).endpoint("/mcp")
        .jsonMapper(McpJsonDefaults.getMapper()).build(), progress);
    assertThat(sdk.getServerInfo().name()).isEqualTo("switchboard");
    assertThat(sdk.listTools().tools()).extracting(McpSchema.Tool::name)
        .containsExactly("db_query", "db_list_tables", "web_get_weather", "web_stream_logs");
    McpSchema.CallToolResult weather = sdk.callTool(new McpSchema.CallToolRequest("web_get_weather", Map.of("city", "Lyon")));
    assertThat(((McpSchema.TextContent) weather.content().getFirst()).text()).contains("Lyon");
    McpSchema.CallToolResult streamed = sdk.callTool(McpSchema.CallToolRequest.builder().name("web_stream_logs")
        .arguments(Map.of("count", 3, "interval_ms", 10)).progressToken("sdk-progress").build());
    assertThat(streamed.isError()).isFalse();
    // The SDK hands notifications to the consumer on its own scheduler: the result may be back first.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> progress.size() >= 3);
    assertThat(progress).hasSize(3).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("sdk-progress"));
    McpSchema.GetPromptResult prompt = sdk.getPrompt(new McpSchema.GetPromptRequest("code_review", Map.of("code", "x++")));
    assertThat(((McpSchema.TextContent) prompt.messages().getFirst().content()).text()).isEqualTo("Review:\nx++");
    sdk.ping();
  }

  @Test
  void theSdkUsesTheHubOverTheLegacySseTransport() {
    McpSyncClient sdk = connect(HttpClientSseClientTransport.builder(hub.base().toString()).sseEndpoint("/sse")
        .jsonMapper(McpJsonDefaults.getMapper()).build(), new CopyOnWriteArrayList<>());
    McpSchema.CallToolResult rows = sdk.callTool(new McpSchema.CallToolRequest("db_query",
        Map.of("sql", "SELECT count(*) AS n FROM products")));
    assertThat(rows.isError()).isFalse();
  }
}
