package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.NpmTools;
import dev.switchboard.testing.ServeProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP Inspector's CLI ({@code @modelcontextprotocol/inspector}, installed by bin/npm-tools) as an
 * independent client of {@code switchboard serve} over Streamable HTTP, run non-interactively with
 * node on its CLI entry ({@code clients/cli/build/index.js}), with {@code --format json}.
 */
class InspectorCliTest {
  private static final String TOKEN = "inspector-token-93b1";

  @TempDir
  Path dir;
  @TempDir
  Path home;

  private ServeProcess hub;
  private Path cli;

  @BeforeEach
  void requireInspector() {
    cli = NpmTools.require("inspector", "clients/cli/build/index.js");
  }

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
      assertThat(hub.survivors()).isEmpty();
    }
  }

  record Run(int exit, String stdout, String stderr) {
    ObjectNode json() {
      return (ObjectNode) Json.parse(stdout);
    }
  }

  private void serve(String extra) throws IOException {
    hub = ServeProcess.start(dir, """
        servers:
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        """ + extra, Map.of("INSPECTOR_TOKEN", TOKEN));
  }

  /** Runs the Inspector CLI against the hub's /mcp; its catalog and storage go to a temporary HOME. */
  private Run inspector(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", cli.toString(), hub.baseUri().resolve("/mcp").toString(),
        "--transport", "http", "--format", "json"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("HOME", home.toString());
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the Inspector CLI did not finish within 60 s: " + command);
      }
      return new Run(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    } finally {
      NpmTools.stop(process);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread.ofVirtual().name("inspector-output").start(() -> {
      try (in) {
        text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.completeExceptionally(e);
      }
    });
    return text;
  }

  @Test
  void inspectorListsTheHubsToolsWithTheirSchemas() throws Exception {
    serve("");
    Run run = inspector("--method", "tools/list");

    assertThat(run.exit()).as("exit code; stderr: %s", run.stderr()).isZero();
    ObjectNode result = (ObjectNode) run.json().get("result");
    assertThat(result.get("tools").findValuesAsText("name")).containsExactly("web_get_weather", "web_stream_logs");
    assertThat(result.at("/tools/0/inputSchema/required/0").asText()).isEqualTo("city");
    assertThat(result.at("/tools/0/annotations/readOnlyHint").asBoolean()).isTrue();
  }

  @Test
  void inspectorCallsWebGetWeatherThroughTheHub() throws Exception {
    serve("");
    Run run = inspector("--method", "tools/call", "--tool-name", "web_get_weather", "--tool-arg", "city=Oslo");

    assertThat(run.exit()).as("exit code; stderr: %s", run.stderr()).isZero();
    ObjectNode result = (ObjectNode) run.json().get("result");
    assertThat(result.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(result.at("/content/0/text").asText()).startsWith("Synthetic demo data (not a real forecast): Oslo: ");
    assertThat(result.at("/structuredContent/city").asText()).isEqualTo("Oslo");
    assertThat(result.at("/structuredContent/synthetic").asBoolean()).isTrue();
    assertThat(result.get("isError").asBoolean()).isFalse();
  }

  @Test
  void inspectorGetsInWithABearerHeaderAndIsRefusedWithoutOne() throws Exception {
    serve("""
        users:
          inspector:
            token: ${INSPECTOR_TOKEN}
        """);

    Run refused = inspector("--method", "tools/list", "--stored-auth-only"); // never start an OAuth flow
    assertThat(refused.exit()).isNotZero();
    ObjectNode error = (ObjectNode) Json.parse(refused.stderr()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("auth_required");
    assertThat(error.get("message").asText()).contains("Unauthorized: a bearer token is required");

    Run allowed = inspector("--method", "tools/call", "--tool-name", "web_get_weather", "--tool-arg", "city=Lima",
        "--header", "Authorization: Bearer " + TOKEN);
    assertThat(allowed.exit()).as("exit code; stderr: %s", allowed.stderr()).isZero();
    assertThat(allowed.json().at("/result/structuredContent/city").asText()).isEqualTo("Lima");
  }
}
