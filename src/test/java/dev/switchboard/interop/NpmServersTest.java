package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import dev.switchboard.testing.NpmTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real MCP servers from npm behind the hub, over stdio, Streamable HTTP and the legacy HTTP+SSE transport. */
class NpmServersTest {
  @TempDir
  Path dir;

  private HubProcess hub;
  private Process server;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
    NpmTools.stop(server);
  }

  private static ObjectNode params(String json) {
    return (ObjectNode) Json.parse(json);
  }

  private McpLineClient hub(String servers, Map<String, String> env) throws Exception {
    hub = HubProcess.start(dir, "servers:\n" + servers, env);
    McpLineClient client = hub.client();
    client.initialize();
    return client;
  }

  private static String echo(McpLineClient client, String tool, String message) {
    return client.result("tools/call", params("{\"name\":\"" + tool + "\",\"arguments\":{\"message\":\"" + message + "\"}}"))
        .at("/content/0/text").asText();
  }

  @Test
  void serverEverythingOverStdioIsMergedAndCalledAndSeesNoneOfTheHubsSecrets() throws Exception {
    Path main = NpmTools.require("server-everything");
    McpLineClient client = hub("""
          everything:
            command: [node, "%s", stdio]
            prefix: ev_
        """.formatted(main), Map.of("HUB_ONLY_SECRET", "do-not-leak-42"));
    ObjectNode list = client.result("tools/list", Json.object());
    assertThat(list.get("tools").findValuesAsText("name")).contains("ev_echo", "ev_get-sum", "ev_get-env");
    assertThat(echo(client, "ev_echo", "hello hub")).isEqualTo("Echo: hello hub");
    ObjectNode sum = client.result("tools/call", params("{\"name\":\"ev_get-sum\",\"arguments\":{\"a\":2,\"b\":40}}"));
    assertThat(sum.at("/content/0/text").asText()).contains("42");
    String env = client.result("tools/call", params("{\"name\":\"ev_get-env\",\"arguments\":{}}")).at("/content/0/text").asText();
    assertThat(env).contains("PATH").doesNotContain("do-not-leak-42");
  }

  @Test
  void serverFilesystemOverStdioReadsInsideItsRoot() throws Exception {
    Path main = NpmTools.require("server-filesystem");
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("hello.txt"), "hello from the filesystem server");
    McpLineClient client = hub("""
          fs:
            command: [node, "%s", "%s"]
            prefix: fs_
        """.formatted(main, root.toRealPath()), Map.of());
    ObjectNode list = client.result("tools/list", Json.object());
    assertThat(list.get("tools").findValuesAsText("name")).contains("fs_read_text_file", "fs_list_directory");
    ObjectNode read = client.result("tools/call", params("{\"name\":\"fs_read_text_file\",\"arguments\":{\"path\":\""
        + root.toRealPath().resolve("hello.txt") + "\"}}"));
    assertThat(read.at("/content/0/text").asText()).isEqualTo("hello from the filesystem server");
  }

  @Test
  void serverEverythingOverStreamableHttpSurvivesTheServerRestarting() throws Exception {
    Path main = NpmTools.require("server-everything");
    int port = NpmTools.freePort();
    server = NpmTools.startHttp(main, "streamableHttp", port);
    McpLineClient client = hub("""
          remote:
            url: http://127.0.0.1:%d/mcp
            prefix: ev_
        """.formatted(port), Map.of());
    assertThat(echo(client, "ev_echo", "over http")).isEqualTo("Echo: over http");

    // A restarted server has forgotten the hub's session; the hub starts a new one by itself.
    NpmTools.stop(server);
    server = NpmTools.startHttp(main, "streamableHttp", port);
    String answer = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
      ObjectNode r = client.request("tools/call", params("{\"name\":\"ev_echo\",\"arguments\":{\"message\":\"again\"}}"));
      return r.has("result") ? r.at("/result/content/0/text").asText() : null;
    }, a -> a != null);
    assertThat(answer).isEqualTo("Echo: again");
  }

  @Test
  void serverEverythingOverLegacySseIsReachedThroughTheFallback() throws Exception {
    Path main = NpmTools.require("server-everything");
    int port = NpmTools.freePort();
    server = NpmTools.startHttp(main, "sse", port);
    McpLineClient client = hub("""
          old:
            url: http://127.0.0.1:%d/sse
            prefix: ev_
        """.formatted(port), Map.of());
    assertThat(echo(client, "ev_echo", "over sse")).isEqualTo("Echo: over sse");
  }
}
