package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.TestJava;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official MCP Java SDK as an independent client of the hub in stdio mode, with the three demo backends behind it. */
class SdkClientThroughHubTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private McpSyncClient client;
  private final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startHubAndConnect() throws Exception {
    Path root = Files.createDirectories(dir.resolve("files"));
    Files.writeString(root.resolve("notes.txt"), "switchboard notes");
    Path config = dir.resolve("switchboard.yaml");
    Files.writeString(config, """
        servers:
          database:
            command: [switchboard, demo-server, database, --db, "%s"]
            prefix: db_
          files:
            command: [switchboard, demo-server, files, --root, "%s"]
            prefix: files_
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        """.formatted(dir.resolve("demo.db"), root));
    List<String> command = new ArrayList<>(TestJava.command("dev.switchboard.cli.Main"));
    command.addAll(List.of("--config", config.toString(), "stdio"));
    ServerParameters params = ServerParameters.builder(command.getFirst()).args(command.subList(1, command.size())).build();
    client = McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper()))
        .requestTimeout(TIMEOUT)
        .initializationTimeout(TIMEOUT)
        .clientInfo(new McpSchema.Implementation("sdk-through-hub", "1"))
        .progressConsumer(progress::add)
        .build();
    client.initialize();
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.closeGracefully();
    }
  }

  @Test
  void theSdkSeesOneMergedCatalogAndCallsEveryBackendThroughTheHub() {
    assertThat(client.getServerInfo().name()).isEqualTo("switchboard");
    assertThat(client.getServerCapabilities().tools().listChanged()).isTrue();
    List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
    assertThat(names).containsExactly("db_query", "db_list_tables", "files_read_file", "files_list_files",
        "web_get_weather", "web_stream_logs");

    McpSchema.CallToolResult rows = client.callTool(new McpSchema.CallToolRequest("db_query",
        Map.of("sql", "SELECT count(*) AS n FROM customers")));
    assertThat(rows.isError()).isFalse();
    assertThat(rows.structuredContent()).isInstanceOf(Map.class);

    McpSchema.CallToolResult file = client.callTool(new McpSchema.CallToolRequest("files_read_file", Map.of("path", "notes.txt")));
    assertThat(((McpSchema.TextContent) file.content().getFirst()).text()).contains("switchboard notes");

    McpSchema.CallToolResult escape = client.callTool(new McpSchema.CallToolRequest("files_read_file", Map.of("path", "../x")));
    assertThat(escape.isError()).isTrue();
  }

  @Test
  void progressFromABackendReachesTheSdkWithItsOwnToken() {
    McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder()
        .name("web_stream_logs")
        .arguments(Map.of("count", 3, "interval_ms", 20))
        .progressToken("sdk-token-1")
        .build());
    assertThat(result.isError()).isFalse();
    // The SDK hands notifications to the consumer on its own scheduler: the result may be back first.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> progress.size() >= 3);
    assertThat(progress).hasSize(3).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("sdk-token-1"));
  }

  @Test
  void anUnknownToolIsAJsonRpcErrorNamingIt() {
    McpError error = org.junit.jupiter.api.Assertions.assertThrows(McpError.class,
        () -> client.callTool(new McpSchema.CallToolRequest("db_drop", Map.of())));
    assertThat(error.getMessage()).contains("No server registered for tool: db_drop");
  }
}
