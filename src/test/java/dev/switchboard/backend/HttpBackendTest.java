package dev.switchboard.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.FakeHttpBackend;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** URL backends through the hub: Streamable HTTP (JSON and SSE answers, sessions, 404), legacy HTTP+SSE. */
class HttpBackendTest {
  @TempDir
  Path dir;

  private HubProcess hub;
  private FakeHttpBackend backend;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private static ObjectNode params(String json) {
    return (ObjectNode) Json.parse(json);
  }

  private McpLineClient hubFor(String serverYaml, Map<String, String> env) throws Exception {
    hub = HubProcess.start(dir, "servers:\n" + serverYaml, env);
    McpLineClient client = hub.client();
    client.initialize();
    return client;
  }

  @Test
  void aStreamableHttpBackendAnswersAsJsonAndAsAnSseStreamWithProgress() throws Exception {
    backend = FakeHttpBackend.start(FakeHttpBackend.Mode.STREAMABLE);
    McpLineClient client = hubFor("""
          remote:
            url: %s
            prefix: r_
        """.formatted(backend.url()), Map.of());
    ObjectNode list = client.result("tools/list", Json.object());
    assertThat(list.get("tools").findValuesAsText("name")).containsExactly("r_echo", "r_echo_json");

    ObjectNode json = client.result("tools/call", params("{\"name\":\"r_echo_json\",\"arguments\":{\"a\":1}}"));
    assertThat(json.at("/content/0/text").asText()).isEqualTo("http:echo_json {\"a\":1}");

    ObjectNode sse = client.result("tools/call", params("{\"name\":\"r_echo\",\"arguments\":{\"b\":2},\"_meta\":{\"progressToken\":7}}"));
    assertThat(sse.at("/content/0/text").asText()).isEqualTo("http:echo {\"b\":2}");
    assertThat(client.notifications()).anySatisfy(r -> {
      assertThat(r.message().get("method").asText()).isEqualTo("notifications/progress");
      assertThat(r.message().at("/params/progressToken").asInt()).isEqualTo(7);
    });
  }

  @Test
  void theHubSendsSessionVersionAndConfiguredHeadersButNeverTheClientsToken() throws Exception {
    backend = FakeHttpBackend.start(FakeHttpBackend.Mode.STREAMABLE);
    McpLineClient client = hubFor("""
          remote:
            url: %s
            headers: { Authorization: "Bearer ${BACKEND_TOKEN}", X-Team: blue }
        """.formatted(backend.url()), Map.of("BACKEND_TOKEN", "backend-secret-1"));
    client.result("tools/call", params("{\"name\":\"echo_json\",\"arguments\":{}}"));
    FakeHttpBackend.Received call = backend.received().stream()
        .filter(r -> "tools/call".equals(r.rpcMethod())).findFirst().orElseThrow();
    assertThat(call.header("Authorization")).isEqualTo("Bearer backend-secret-1");
    assertThat(call.header("X-Team")).isEqualTo("blue");
    assertThat(call.header("Mcp-Session-Id")).isEqualTo("s1");
    assertThat(call.header("MCP-Protocol-Version")).isEqualTo("2025-11-25");
    assertThat(hub.stderr()).noneMatch(line -> line.contains("backend-secret-1"));
  }

  @Test
  void anExpiredSessionIsReinitializedAndTheCallSucceeds() throws Exception {
    backend = FakeHttpBackend.start(FakeHttpBackend.Mode.STREAMABLE);
    McpLineClient client = hubFor("""
          remote:
            url: %s
        """.formatted(backend.url()), Map.of());
    client.result("tools/call", params("{\"name\":\"echo_json\",\"arguments\":{}}"));
    backend.expireSessions();
    ObjectNode again = client.result("tools/call", params("{\"name\":\"echo_json\",\"arguments\":{\"n\":2}}"));
    assertThat(again.at("/content/0/text").asText()).isEqualTo("http:echo_json {\"n\":2}");
    assertThat(backend.count("initialize")).isEqualTo(2);
    assertThat(backend.received().stream().filter(r -> "tools/call".equals(r.rpcMethod())).toList().getLast()
        .header("Mcp-Session-Id")).isEqualTo("s2");
  }

  @Test
  void aLegacyHttpSseBackendIsReachedThroughTheFallback() throws Exception {
    backend = FakeHttpBackend.start(FakeHttpBackend.Mode.LEGACY_SSE);
    McpLineClient client = hubFor("""
          old:
            url: %s
            prefix: old_
        """.formatted(backend.url()), Map.of());
    ObjectNode result = client.result("tools/call", params("{\"name\":\"old_echo\",\"arguments\":{\"c\":3}}"));
    assertThat(result.at("/content/0/text").asText()).isEqualTo("http:echo {\"c\":3}");
    hub.awaitLog(l -> l.contains("backend=old refused Streamable HTTP"), Duration.ofSeconds(5));
  }

  @Test
  void anUnreachableUrlBackendIsReportedAndTheOthersKeepServing() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    McpLineClient client = hubFor("""
          gone:
            url: http://127.0.0.1:%d/mcp
          local:
            command: %s
            prefix: l_
        """.formatted(closedPort, HubProcess.fakeBackend("--name", "local", "--tools", "t")), Map.of());
    hub.awaitLog(l -> l.contains("backend=gone failed to start") && l.contains("could not be reached at 127.0.0.1:" + closedPort),
        Duration.ofSeconds(20));
    assertThat(client.result("tools/call", params("{\"name\":\"l_t\",\"arguments\":{}}")).at("/content/0/text").asText())
        .startsWith("local:t");
  }
}
