package dev.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo servers as child processes, driven by the official MCP Java SDK: an independent client
 * that checks the handshake, paging, and each {@code structuredContent} against its output schema.
 */
class OfficialSdkClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private McpSyncClient client(String kind, List<String> options, List<McpSchema.ProgressNotification> progress,
      List<McpSchema.LoggingMessageNotification> logs) {
    List<String> args = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), DemoServers.class.getName(), kind));
    args.addAll(options);
    ServerParameters params = ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
        .args(args)
        .env(Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()))
        .build();
    StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
    McpSyncClient client = McpClient.sync(transport)
        .requestTimeout(TIMEOUT)
        .initializationTimeout(TIMEOUT)
        .clientInfo(new McpSchema.Implementation("switchboard-test", "1"))
        .progressConsumer(progress::add)
        .loggingConsumer(logs::add)
        .enableCallToolSchemaCaching(true) // makes the SDK check structuredContent against each outputSchema
        .build();
    client.initialize();
    return client;
  }

  private McpSyncClient client(String kind, List<String> options) {
    return client(kind, options, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
  }

  @Test
  void sdkClientQueriesTheDatabaseDemo() {
    try (McpSyncClient client = client("database", List.of("--db", dir.resolve("demo.db").toString(), "--page-size", "1"))) {
      assertThat(client.getServerInfo().name()).isEqualTo("switchboard-demo-database");
      List<String> names = new ArrayList<>();
      String cursor = null;
      do {
        McpSchema.ListToolsResult page = client.listTools(cursor);
        page.tools().forEach(t -> names.add(t.name()));
        cursor = page.nextCursor();
      } while (cursor != null);
      assertThat(names).containsExactly("query", "list_tables");

      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("query",
          Map.of("sql", "SELECT name FROM products WHERE in_stock = 0 ORDER BY id")));
      McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest("query", Map.of("sql", "DELETE FROM orders")));

      assertThat(result.isError()).isFalse();
      assertThat(result.structuredContent()).isEqualTo(Map.of(
          "columns", List.of("name"), "rows", List.of(List.of("Laptop stand"), List.of("Ergonomic chair")),
          "rowCount", 2, "truncated", false));
      assertThat(refused.isError()).isTrue();
      assertThat(((McpSchema.TextContent) refused.content().getFirst()).text())
          .startsWith("Only read-only queries are allowed (the demo database is read-only)");
    }
  }

  @Test
  void sdkClientListsAndReadsFiles() throws Exception {
    Files.writeString(dir.resolve("readme.txt"), "demo files");
    try (McpSyncClient client = client("files", List.of("--root", dir.toString()))) {
      McpSchema.Tool listFiles = client.listTools().tools().stream().filter(t -> t.name().equals("list_files")).findFirst().orElseThrow();
      assertThat(listFiles.annotations().readOnlyHint()).isTrue();

      McpSchema.CallToolResult listing = client.callTool(new McpSchema.CallToolRequest("list_files", Map.of()));
      McpSchema.CallToolResult read = client.callTool(new McpSchema.CallToolRequest("read_file", Map.of("path", "readme.txt")));

      assertThat(listing.isError()).isFalse();
      assertThat(listing.structuredContent().toString()).contains("readme.txt");
      assertThat(((McpSchema.TextContent) read.content().getFirst()).text()).isEqualTo("demo files");
    }
  }

  @Test
  void sdkClientReceivesProgressAndLogsFromStreamLogs() {
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    List<McpSchema.LoggingMessageNotification> logs = new CopyOnWriteArrayList<>();
    try (McpSyncClient client = client("web", List.of(), progress, logs)) {
      McpSchema.CallToolResult weather = client.callTool(new McpSchema.CallToolRequest("get_weather", Map.of("city", "Lisbon")));
      McpSchema.CallToolResult stream = client.callTool(McpSchema.CallToolRequest.builder("stream_logs")
          .arguments(Map.of("count", 3, "interval_ms", 10))
          .progressToken("sdk-1")
          .build());

      assertThat(weather.structuredContent().toString()).contains("synthetic=true");
      assertThat(stream.isError()).isFalse();
      // The SDK hands notifications to its consumers on another thread; wait for them with a deadline.
      await().atMost(TIMEOUT).until(() -> progress.size() == 3 && logs.size() == 3);
      assertThat(progress).extracting(McpSchema.ProgressNotification::progress).containsExactly(1.0, 2.0, 3.0);
      assertThat(progress).extracting(McpSchema.ProgressNotification::progressToken).containsOnly("sdk-1");
      assertThat(logs).extracting(McpSchema.LoggingMessageNotification::logger).containsOnly("stream_logs");
    }
  }
}
