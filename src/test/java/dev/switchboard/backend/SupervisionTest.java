package dev.switchboard.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpLineClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervised stdio backends, through the hub as a child process: crashes, restarts, deadlines, shutdown. */
class SupervisionTest {
  @TempDir
  Path dir;

  private HubProcess hub;

  @AfterEach
  void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  private static ObjectNode params(String json) {
    return (ObjectNode) Json.parse(json);
  }

  private McpLineClient start(String yaml) throws Exception {
    hub = HubProcess.start(dir, yaml);
    McpLineClient client = hub.client();
    client.initialize();
    return client;
  }

  private static long pidOf(McpLineClient client, String tool) {
    return client.result("tools/call", params("{\"name\":\"" + tool + "\",\"arguments\":{}}"))
        .at("/structuredContent/pid").asLong();
  }

  @Test
  void callToABackendKilledMidCallFailsFastAndTheBackendComesBack() throws Exception {
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
            prefix: a_
        """.formatted(HubProcess.fakeBackend("--name", "alpha")));
    long pid = pidOf(client, "a_pid");
    long call = client.requestAsync("tools/call", params("{\"name\":\"a_sleep\",\"arguments\":{\"ms\":120000}}"));
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    ObjectNode response = client.response(call);
    assertThat(response.at("/error/code").asInt()).isEqualTo(-32000);
    assertThat(response.at("/error/message").asText()).startsWith("Backend 'alpha' exited (code 137)").contains("during tools/call");

    long newPid = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      ObjectNode r = client.request("tools/call", params("{\"name\":\"a_pid\",\"arguments\":{}}"));
      return r.has("result") ? r.at("/result/structuredContent/pid").asLong() : -1L;
    }, p -> p > 0);
    assertThat(newPid).isNotEqualTo(pid);
  }

  @Test
  void aCrashMidCallNamesTheExitCodeAndTheStderrTail() throws Exception {
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
        """.formatted(HubProcess.fakeBackend("--name", "alpha")));
    ObjectNode response = client.request("tools/call", params("{\"name\":\"crash\",\"arguments\":{\"code\":3}}"));
    assertThat(response.at("/error/message").asText())
        .startsWith("Backend 'alpha' exited (code 3)")
        .contains("stderr:")
        .contains("fake backend crashing on purpose")
        .endsWith("during tools/call");
  }

  @Test
  void aBackendThatExitsAtOnceLoopsWithBackoffWithoutHurtingTheOthers() throws Exception {
    McpLineClient client = start("""
        servers:
          broken:
            command: %s
            prefix: x_
          good:
            command: %s
            prefix: g_
        """.formatted(HubProcess.fakeBackend("--exit-at-start", "1"), HubProcess.fakeBackend("--name", "good", "--tools", "t")));
    hub.awaitLog(l -> l.contains("backend=broken restarting in 500ms"), Duration.ofSeconds(20));
    hub.awaitLog(l -> l.contains("backend=broken restarting in 1s"), Duration.ofSeconds(20));
    hub.awaitLog(l -> l.contains("backend=broken restarting in 2s"), Duration.ofSeconds(20));
    assertThat(hub.stderr()).anyMatch(l -> l.contains("backend=broken failed to start: Backend 'broken' exited (code 1)")
        && l.contains("fake backend failing at start on purpose"));
    ObjectNode result = client.result("tools/call", params("{\"name\":\"g_t\",\"arguments\":{}}"));
    assertThat(result.at("/content/0/text").asText()).startsWith("good:t");
  }

  @Test
  void aBackendThatAnswersGarbageIsReportedAndTheOthersKeepServing() throws Exception {
    McpLineClient client = start("""
        servers:
          noisy:
            command: %s
            timeout: 1s
          good:
            command: %s
            prefix: g_
        """.formatted(HubProcess.fakeBackend("--garbage"), HubProcess.fakeBackend("--name", "good", "--tools", "t")));
    hub.awaitLog(l -> l.contains("backend=noisy wrote a line that is not JSON"), Duration.ofSeconds(20));
    hub.awaitLog(l -> l.contains("backend=noisy failed to start: Backend 'noisy' did not answer initialize within 1s"),
        Duration.ofSeconds(20));
    assertThat(client.result("tools/call", params("{\"name\":\"g_t\",\"arguments\":{}}")).at("/content/0/text").asText())
        .startsWith("good:t");
  }

  @Test
  void aCallPastItsDeadlineFailsAndTheBackendIsToldToCancel() throws Exception {
    Path record = dir.resolve("alpha.jsonl");
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
            timeout: 1s
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--record", record.toString())));
    ObjectNode response = client.request("tools/call", params("{\"name\":\"sleep\",\"arguments\":{\"ms\":20000}}"));
    assertThat(response.at("/error/code").asInt()).isEqualTo(-32001);
    assertThat(response.at("/error/message").asText()).isEqualTo("Backend 'alpha' did not answer tools/call within 1s");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        Files.readAllLines(record).stream().anyMatch(l -> l.contains("notifications/cancelled")));
  }

  @Test
  void progressExtendsTheDeadlineAndReachesTheClientWithItsOwnToken() throws Exception {
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
            timeout: 1s
        """.formatted(HubProcess.fakeBackend("--name", "alpha")));
    ObjectNode result = client.result("tools/call", params("""
        {"name":"progress","arguments":{"count":6,"interval_ms":400},"_meta":{"progressToken":"mine-42"}}"""));
    assertThat(result.at("/content/0/text").asText()).startsWith("alpha:progress");
    assertThat(client.notifications()).filteredOn(r -> r.message().get("method").asText().equals("notifications/progress"))
        .hasSize(6)
        .allSatisfy(r -> assertThat(r.message().at("/params/progressToken").asText()).isEqualTo("mine-42"));
  }

  @Test
  void aCancelledRequestIsForwardedToTheBackendAndNotAnswered() throws Exception {
    Path record = dir.resolve("alpha.jsonl");
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--record", record.toString())));
    long id = client.requestAsync("tools/call", params("{\"name\":\"sleep\",\"arguments\":{\"ms\":60000}}"));
    // The backend may still be starting (the hub answers before its children spawn): no file yet.
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(record)
        && Files.readAllLines(record).stream().anyMatch(l -> l.contains("\"name\":\"sleep\"")));
    client.send(params("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":" + id + ",\"reason\":\"user\"}}"));
    await().atMost(Duration.ofSeconds(10)).until(() ->
        Files.readAllLines(record).stream().anyMatch(l -> l.contains("notifications/cancelled") && l.contains("user")));
    assertThat(client.result("ping", Json.object())).isEmpty();
  }

  @Test
  void afterTheHubEndsNoProcessItStartedIsAlive() throws Exception {
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
          demo:
            command: [switchboard, demo-server, web]
            prefix: web_
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--grandchild")));
    ObjectNode pids = client.result("tools/call", params("{\"name\":\"pid\",\"arguments\":{}}"));
    long grandchild = pids.at("/structuredContent/grandchild").asLong();
    assertThat(grandchild).isPositive();
    client.result("tools/call", params("{\"name\":\"web_get_weather\",\"arguments\":{\"city\":\"Oslo\"}}"));
    assertThat(hub.descendants()).extracting(ProcessHandle::pid).contains(grandchild);

    assertThat(hub.stop(Duration.ofSeconds(30))).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.survivors().isEmpty());
  }

  @Test
  void sigtermEndsTheHubAndEveryChild() throws Exception {
    McpLineClient client = start("""
        servers:
          alpha:
            command: %s
        """.formatted(HubProcess.fakeBackend("--name", "alpha", "--grandchild")));
    client.result("tools/call", params("{\"name\":\"pid\",\"arguments\":{}}"));
    assertThat(hub.descendants()).hasSizeGreaterThanOrEqualTo(2);
    hub.process().destroy(); // SIGTERM
    assertThat(hub.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.survivors().isEmpty());
  }
}
