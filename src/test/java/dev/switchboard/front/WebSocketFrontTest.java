package dev.switchboard.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.testing.HttpClients;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpWebSocketClient;
import dev.switchboard.testing.McpWebSocketClient.Closed;
import dev.switchboard.testing.ServeProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket front ({@code /ws}) of {@code switchboard serve} as a child process, driven by the
 * JDK's WebSocket client (and once by hand over a raw socket), with fake and demo backends as real
 * child processes.
 */
class WebSocketFrontTest {
  private static final String ALICE_TOKEN = "alice-token-4f1c9e";
  private static final String BOB_TOKEN = "bob-token-7d20aa";
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private ServeProcess hub;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<McpWebSocketClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(McpWebSocketClient::close);
    HttpClients.end(http, Duration.ofSeconds(10));
    if (hub != null) {
      hub.close();
      assertThat(hub.survivors()).as("processes left after the hub ended").isEmpty();
    }
  }

  // --- set-up ---

  private Path record() {
    return dir.resolve("fake-record.jsonl");
  }

  /** A fake backend (tools echo, sleep, progress, …) recording what it receives, exposed with prefix f_. */
  private String fakeServer() {
    return """
          fake:
            command: %s
            prefix: f_
        """.formatted(HubProcess.fakeBackend("--name", "fake", "--tools", "echo", "--record", record().toString()));
  }

  /** Alice's token comes from the environment, Bob's is configured as its SHA-256. */
  private static String users() {
    return """
        users:
          alice:
            token: ${ALICE_TOKEN}
            capabilities: [x]
          bob:
            token_sha256: %s
            capabilities: [y]
        """.formatted(sha256(BOB_TOKEN));
  }

  private ServeProcess serve(String yaml) throws IOException {
    hub = ServeProcess.start(dir, yaml, Map.of("ALICE_TOKEN", ALICE_TOKEN));
    return hub;
  }

  private McpWebSocketClient connect(String query, Map<String, String> headers, String... subprotocols) {
    McpWebSocketClient client = McpWebSocketClient.connect(http, hub.webSocketUri(query), headers, subprotocols);
    clients.add(client);
    return client;
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  private static ObjectNode params(String json) {
    return (ObjectNode) Json.parse(json);
  }

  private static ObjectNode call(String tool, String arguments) {
    return params("{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
  }

  private static String text(ObjectNode result) {
    return result.at("/content/0/text").asText();
  }

  private List<ObjectNode> recorded() throws IOException {
    if (!Files.exists(record())) {
      return List.of();
    }
    List<ObjectNode> messages = new ArrayList<>();
    for (String line : Files.readAllLines(record())) {
      messages.add((ObjectNode) Json.parse(line));
    }
    return messages;
  }

  private ObjectNode awaitRecorded(String description, java.util.function.Predicate<ObjectNode> matcher) {
    return await(description).atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
        .until(() -> recorded().stream().filter(matcher).findFirst().orElse(null), java.util.Objects::nonNull);
  }

  private static boolean isCall(ObjectNode message, String tool) {
    return "tools/call".equals(JsonRpc.method(message)) && tool.equals(message.at("/params/name").asText());
  }

  private int webSockets() throws IOException {
    return hub.health().at("/checks/server/webSockets").asInt(-1);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- authentication ---

  @Test
  void aGoodTokenInTheHeaderOpensASessionThatInitializesListsAndCalls() throws Exception {
    serve("""
        servers:
          web:
            command: [switchboard, demo-server, web]
            prefix: web_
        %s%s""".formatted(fakeServer(), users()));
    McpWebSocketClient client = connect(null, bearer(ALICE_TOKEN), "mcp");

    ObjectNode init = client.initialize();
    assertThat(init.at("/serverInfo/name").asText()).isEqualTo("switchboard");
    assertThat(init.get("protocolVersion").asText()).isEqualTo("2025-11-25");
    ObjectNode list = client.result("tools/list", Json.object());
    assertThat(list.get("tools").findValuesAsText("name")).contains("web_get_weather", "web_stream_logs", "f_echo", "f_sleep");
    ObjectNode weather = client.result("tools/call", call("web_get_weather", "{\"city\":\"Oslo\"}"));
    assertThat(text(weather)).contains("Oslo").contains("°C");
    assertThat(weather.at("/structuredContent/city").asText()).isEqualTo("Oslo");
    ObjectNode echo = client.result("tools/call", call("f_echo", "{\"said\":\"hello\"}"));
    assertThat(text(echo)).isEqualTo("fake:echo {\"said\":\"hello\"}");
  }

  @Test
  void aTokenInTheQueryIsAcceptedToo() throws Exception {
    serve("servers:\n" + fakeServer() + users());
    McpWebSocketClient client = connect("token=" + BOB_TOKEN, Map.of(), "mcp");

    client.initialize();
    assertThat(text(client.result("tools/call", call("f_echo", "{\"by\":\"query\"}")))).isEqualTo("fake:echo {\"by\":\"query\"}");
  }

  @Test
  void aBadOrMissingTokenIsClosedWith1008AndNoBackendReceivesAnything() throws Exception {
    serve("servers:\n" + fakeServer() + users());
    awaitRecorded("the hub's own tools/list to the backend", m -> "tools/list".equals(JsonRpc.method(m)));

    List<McpWebSocketClient> refused = List.of(
        connect(null, bearer("not-a-token"), "mcp"),
        connect(null, Map.of(), "mcp"),
        connect("token=not-a-token", Map.of(), "mcp"),
        connect("token=", Map.of("Authorization", "Basic " + ALICE_TOKEN), "mcp"));
    for (McpWebSocketClient client : refused) {
      try {
        // Sent as soon as the socket is open: the hub must drop it, not serve it.
        client.send(JsonRpc.request(Json.MAPPER.getNodeFactory().numberNode(1), "tools/call", call("f_echo", "{\"refused\":true}")));
      } catch (RuntimeException e) {
        // the close may already have arrived; then there was nothing to send to
      }
      assertThat(client.awaitClose(DEADLINE)).isEqualTo(new Closed(1008, "Unauthorized"));
      assertThat(client.received()).isEmpty();
    }

    // A good call afterwards is a barrier: once it is recorded, the refused frames would have been too.
    McpWebSocketClient alice = connect(null, bearer(ALICE_TOKEN), "mcp");
    alice.initialize();
    alice.result("tools/call", call("f_echo", "{\"allowed\":true}"));
    awaitRecorded("alice's call", m -> isCall(m, "echo"));
    assertThat(recorded()).filteredOn(m -> "tools/call".equals(JsonRpc.method(m)))
        .singleElement().satisfies(m -> assertThat(m.at("/params/arguments/allowed").asBoolean()).isTrue());
    assertThat(recorded()).noneMatch(m -> m.toString().contains("refused"));
    assertThat(String.join("\n", hub.stderr())).doesNotContain(ALICE_TOKEN).doesNotContain("not-a-token");
  }

  @Test
  void withoutUsersNoTokenIsNeeded() throws Exception {
    serve("servers:\n" + fakeServer());
    McpWebSocketClient client = connect(null, Map.of());

    client.initialize();
    assertThat(client.result("tools/list", Json.object()).get("tools").findValuesAsText("name")).contains("f_echo");
    assertThat(text(client.result("tools/call", call("f_echo", "{}")))).isEqualTo("fake:echo {}");
  }

  @Test
  void theMcpSubprotocolIsEchoedWhenOffered() throws Exception {
    serve("servers:\n" + fakeServer());

    assertThat(connect(null, Map.of(), "mcp").socket().getSubprotocol()).isEqualTo("mcp");
    assertThat(connect(null, Map.of(), "chat", "mcp").socket().getSubprotocol()).isEqualTo("mcp");
    McpWebSocketClient none = connect(null, Map.of());
    assertThat(none.socket().getSubprotocol()).isEmpty();
    none.initialize(); // not offering a subprotocol is allowed
  }

  // --- bad input ---

  @Test
  void garbageFramesGetJsonRpcErrorsAndTheConnectionKeepsWorking() throws Exception {
    serve("servers:\n" + fakeServer());
    McpWebSocketClient client = connect(null, Map.of(), "mcp");
    client.initialize();

    client.sendText("this is not JSON");
    ObjectNode notJson = awaitError(client, 1);
    assertThat(notJson.at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(notJson.at("/error/message").asText()).startsWith("Parse error: ");

    client.sendText("[{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"ping\"}]");
    ObjectNode batch = awaitError(client, 2);
    assertThat(batch.at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(batch.at("/error/message").asText()).startsWith("Invalid request: batch arrays are not supported");

    client.sendBinary("{\"jsonrpc\":\"2.0\",\"id\":98,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
    ObjectNode binary = awaitError(client, 3);
    assertThat(binary.at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(binary.at("/error/message").asText())
        .isEqualTo("Invalid request: binary frames are not supported; send each JSON-RPC message as one text frame");

    assertThat(text(client.result("tools/call", call("f_echo", "{\"still\":\"here\"}")))).isEqualTo("fake:echo {\"still\":\"here\"}");
    assertThat(client.closed()).isNotDone();
    assertThat(client.notJson()).isEmpty();
  }

  /** Waits for the n-th error with id null (the answer to a frame that had no usable id). */
  private static ObjectNode awaitError(McpWebSocketClient client, int n) {
    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10))
        .until(() -> nullIdErrors(client).size() >= n);
    List<ObjectNode> errors = nullIdErrors(client);
    assertThat(errors).hasSize(n);
    return errors.get(n - 1);
  }

  private static List<ObjectNode> nullIdErrors(McpWebSocketClient client) {
    return client.received().stream().filter(m -> m.has("error") && m.get("id").isNull()).toList();
  }

  // --- sessions ---

  @Test
  void closingTheConnectionMidCallCancelsTheBackendRequest() throws Exception {
    serve("servers:\n" + fakeServer());
    McpWebSocketClient client = connect(null, Map.of(), "mcp");
    client.initialize();

    client.requestAsync("tools/call", call("f_sleep", "{\"ms\":60000}"));
    ObjectNode sent = awaitRecorded("the sleep call at the backend", m -> isCall(m, "sleep"));
    client.close();

    ObjectNode cancelled = awaitRecorded("notifications/cancelled at the backend",
        m -> "notifications/cancelled".equals(JsonRpc.method(m)));
    assertThat(cancelled.at("/params/requestId")).isEqualTo(sent.get("id"));
    await().atMost(DEADLINE).until(() -> webSockets() == 0);
  }

  @Test
  void aCancellationSentRightAfterItsRequestIsServedInOrderAndReachesTheBackend() throws Exception {
    serve("servers:\n" + fakeServer());
    McpWebSocketClient client = connect(null, Map.of(), "mcp");
    client.initialize();
    for (int i = 0; i < 5; i++) {
      long id = client.requestAsync("tools/call", call("f_sleep", "{\"ms\":60000}"));
      client.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":" + id + "}}");
    }
    await().atMost(DEADLINE).until(() -> recorded().stream()
        .filter(m -> "notifications/cancelled".equals(JsonRpc.method(m))).count() == 5);
    assertThat(client.request("ping", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()).has("result")).isTrue();
  }

  @Test
  void twoClientsWithDifferentUsersSeeOnlyTheirOwnResults() throws Exception {
    serve("servers:\n" + fakeServer() + users());
    McpWebSocketClient alice = connect(null, bearer(ALICE_TOKEN), "mcp");
    McpWebSocketClient bob = connect("token=" + BOB_TOKEN, Map.of(), "mcp");
    alice.initialize();
    bob.initialize();

    // Same request ids and the same progress token on both connections, all in flight at once.
    int calls = 40;
    List<Long> aliceIds = new ArrayList<>();
    List<Long> bobIds = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      aliceIds.add(alice.requestAsync("tools/call", call("f_echo", "{\"who\":\"alice\",\"n\":" + i + "}")));
      bobIds.add(bob.requestAsync("tools/call", call("f_echo", "{\"who\":\"bob\",\"n\":" + i + "}")));
    }
    ObjectNode progress = params("{\"name\":\"f_progress\",\"arguments\":{\"count\":5,\"interval_ms\":5},\"_meta\":{\"progressToken\":\"p\"}}");
    long aliceProgress = alice.requestAsync("tools/call", progress);
    long bobProgress = bob.requestAsync("tools/call", progress);

    assertThat(aliceIds).isEqualTo(bobIds);
    for (int i = 0; i < calls; i++) {
      assertThat(text((ObjectNode) alice.response(aliceIds.get(i)).get("result"))).isEqualTo("fake:echo {\"who\":\"alice\",\"n\":" + i + "}");
      assertThat(text((ObjectNode) bob.response(bobIds.get(i)).get("result"))).isEqualTo("fake:echo {\"who\":\"bob\",\"n\":" + i + "}");
    }
    assertThat(alice.response(aliceProgress).has("result")).isTrue();
    assertThat(bob.response(bobProgress).has("result")).isTrue();

    for (McpWebSocketClient client : List.of(alice, bob)) {
      List<ObjectNode> notes = client.received().stream().filter(m -> m.has("method")).toList();
      assertThat(notes).as("progress notifications").hasSize(5)
          .allSatisfy(m -> assertThat(m.at("/params/progressToken").asText()).isEqualTo("p"));
      // initialize + the calls + the progress call: nothing else, nothing twice
      assertThat(client.received().stream().filter(m -> !m.has("method"))).hasSize(calls + 2);
    }
    assertThat(alice.received()).noneMatch(m -> m.toString().contains("bob"));
    assertThat(bob.received()).noneMatch(m -> m.toString().contains("alice"));
  }

  // --- load and liveness ---

  @Test
  void aThousandConnectionsOpenInitializeAndCloseLeavingTheHubHealthy() throws Exception {
    serve("servers:\n" + fakeServer());
    int count = 1000;

    List<CompletableFuture<McpWebSocketClient>> opening = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // Each client is kept for stop() as soon as it opens, so a failed run still closes it.
      // The burst shares two cores with the hub: give each opening the test's whole budget.
      opening.add(McpWebSocketClient.connectAsync(http, hub.webSocketUri(null), Map.of(), Duration.ofSeconds(30), "mcp")
          .whenComplete((client, error) -> {
            if (client != null) {
              clients.add(client);
            }
          }));
    }
    try {
      CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Say how many failed and why, not just the first failure.
      Map<String, Long> causes = opening.stream().filter(f -> !f.isDone() || f.isCompletedExceptionally())
          .collect(java.util.stream.Collectors.groupingBy(f -> !f.isDone() ? "still opening" : f.exceptionNow().toString(),
              java.util.stream.Collectors.counting()));
      throw new AssertionError(clients.size() + " of " + count + " connections opened; the others: " + causes
          + "; webSockets the hub counts: " + webSockets(), e);
    }
    List<McpWebSocketClient> open = opening.stream().map(CompletableFuture::join).toList();

    List<CompletableFuture<ObjectNode>> answers = new ArrayList<>();
    for (McpWebSocketClient client : open) {
      answers.add(client.responseFuture(client.requestAsync("initialize", McpWebSocketClient.initializeParams("load"))));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(answers).allSatisfy(a -> assertThat(a.join().at("/result/serverInfo/name").asText()).isEqualTo("switchboard"));
    assertThat(webSockets()).isEqualTo(count);

    List<CompletableFuture<?>> closing = new ArrayList<>();
    for (McpWebSocketClient client : open) {
      closing.add(client.socket().sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done"));
    }
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    CompletableFuture.allOf(open.stream().map(McpWebSocketClient::closed).toArray(CompletableFuture[]::new))
        .get(30, TimeUnit.SECONDS);

    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(this::webSockets, n -> n == 0);
    assertThat(hub.get("/health").statusCode()).isEqualTo(200);
    assertThat(hub.health().get("status").asText()).isEqualTo("healthy");
    // still serving after the storm
    McpWebSocketClient after = connect(null, Map.of(), "mcp");
    after.initialize();
    assertThat(text(after.result("tools/call", call("f_echo", "{}")))).isEqualTo("fake:echo {}");
  }

  @Test
  void aPeerThatNeverAnswersPingsIsDropped() throws Exception {
    serve("servers:\n" + fakeServer() + "http:\n  keepalive: 500ms\n");
    try (Socket socket = upgradeByHand(hub.baseUri())) {
      await().atMost(DEADLINE).until(this::webSockets, n -> n == 1);

      // Read what the hub sends (pings) without ever answering, until it drops us.
      List<Integer> opcodes = readFramesUntilEnd(socket.getInputStream());
      assertThat(opcodes).as("frame opcodes before the drop").contains(0x9);
      await().atMost(DEADLINE).until(this::webSockets, n -> n == 0);
    }
    hub.awaitLog(line -> line.contains("did not answer a ping within 500 ms; dropping the connection"), DEADLINE);
    assertThat(hub.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatStopsReadingIsDroppedWithoutStallingTheBackendForOthers() throws Exception {
    // No pings in this test: the drop must come from the full queue, not from a missed pong.
    serve("servers:\n" + fakeServer() + "http:\n  keepalive: 10m\n");
    McpWebSocketClient other = connect(null, Map.of(), "mcp");
    other.initialize();
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096); // a small window: the hub's queue for it fills sooner
      socket.connect(new java.net.InetSocketAddress(hub.baseUri().getHost(), hub.baseUri().getPort()));
      upgrade(socket, hub.baseUri());
      // Far more progress than socket buffers and the hub's queue for one client hold; never read.
      writeText(socket.getOutputStream(), """
          {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"f_progress",\
          "arguments":{"count":400000,"interval_ms":0},"_meta":{"progressToken":"flood"}}}""");
      hub.awaitLog(line -> line.contains("websocket client is not reading"), Duration.ofSeconds(60));

      // The backend's answers come from one reader thread: it must not be stuck on the slow client.
      assertThat(text(other.result("tools/call", call("f_echo", "{\"after\":\"flood\"}")))).isEqualTo("fake:echo {\"after\":\"flood\"}");
      awaitRecorded("the flood cancelled at the backend", m -> "notifications/cancelled".equals(JsonRpc.method(m)));
      await().atMost(DEADLINE).until(this::webSockets, n -> n == 1);
    }
  }

  @Test
  void onShutdownEachWebSocketIsClosedWith1001GoingAway() throws Exception {
    serve("servers:\n" + fakeServer());
    McpWebSocketClient client = connect(null, Map.of(), "mcp");
    client.initialize();

    hub.process().destroy(); // SIGTERM
    assertThat(client.awaitClose(DEADLINE)).isEqualTo(new Closed(1001, "Going away"));
    assertThat(hub.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theHubStopsPromptlyWhileAClientIsNotReading() throws Exception {
    serve("servers:\n" + fakeServer() + "hub:\n  shutdown_grace: 1s\nhttp:\n  keepalive: 10m\n");
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress(hub.baseUri().getHost(), hub.baseUri().getPort()));
      upgrade(socket, hub.baseUri());
      // Big answers that fill the socket buffers long before the hub's queue for this client is full.
      String big = "x".repeat(60_000);
      for (int i = 1; i <= 300; i++) {
        writeText(socket.getOutputStream(), "{\"jsonrpc\":\"2.0\",\"id\":" + i
            + ",\"method\":\"tools/call\",\"params\":{\"name\":\"f_echo\",\"arguments\":{\"big\":\"" + big + "\"}}}");
      }
      await("all 300 calls at the backend").atMost(DEADLINE).until(this::recordedCalls, n -> n == 300);

      hub.process().destroy(); // SIGTERM
      assertThat(hub.process().waitFor(20, TimeUnit.SECONDS)).as("the hub exited after SIGTERM; stderr:\n%s",
          String.join("\n", hub.stderr())).isTrue();
    }
  }

  private long recordedCalls() throws IOException {
    return recorded().stream().filter(m -> isCall(m, "echo")).count();
  }

  /** A socket to the hub after a WebSocket upgrade written and read by hand. */
  private static Socket upgradeByHand(URI base) throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    try {
      upgrade(socket, base);
      return socket;
    } catch (IOException | AssertionError e) {
      socket.close();
      throw e;
    }
  }

  private static void upgrade(Socket socket, URI base) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(("GET /ws HTTP/1.1\r\n"
        + "Host: " + base.getAuthority() + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Protocol: mcp\r\n"
        + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket.setSoTimeout((int) DEADLINE.toMillis());
    String head = readHead(socket.getInputStream());
    assertThat(head).startsWith("HTTP/1.1 101 ");
    assertThat(head).containsIgnoringCase("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertThat(head).containsIgnoringCase("Sec-WebSocket-Protocol: mcp");
  }

  /** Writes one masked text frame, as a client must. */
  private static void writeText(OutputStream out, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(0x80 | 127);
      frame.write(java.nio.ByteBuffer.allocate(8).putLong(payload.length).array());
    }
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** The HTTP response head, up to the blank line. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection ended inside the response head: " + head);
      }
      head.write(b);
      byte[] bytes = head.toByteArray();
      int n = bytes.length;
      if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
  }

  /** Opcodes of the (unmasked) server frames read until the connection ends; fails at the read deadline. */
  private static List<Integer> readFramesUntilEnd(InputStream in) throws IOException {
    List<Integer> opcodes = new ArrayList<>();
    try {
      while (true) {
        int first = in.read();
        if (first < 0) {
          return opcodes;
        }
        int second = in.read();
        if (second < 0) {
          return opcodes;
        }
        long length = second & 0x7F;
        if (length == 126) {
          length = (in.read() << 8) | in.read();
        } else if (length == 127) {
          length = java.nio.ByteBuffer.wrap(in.readNBytes(8)).getLong();
        }
        in.readNBytes((int) length);
        opcodes.add(first & 0x0F);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the hub kept the connection of a peer that never answers pings; frames: " + opcodes, e);
    } catch (java.net.SocketException e) {
      return opcodes; // reset by the hub: dropped
    }
  }
}
