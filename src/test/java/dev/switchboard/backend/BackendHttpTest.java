package dev.switchboard.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The backend HTTP client against a hand-written HTTP/1.1 server on a raw socket, so every byte
 * the client sees (and every connection it opens) is under the test's control.
 */
@Timeout(30)
class BackendHttpTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void keepAliveConnectionsAreReusedAndConfiguredHeadersAreSent() throws Exception {
    RawServer server = track(new RawServer(request -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + "Content-Length: 2\r\n\r\n{}"));
    BackendHttp http = track(new BackendHttp("b", server.url(), Map.of("X-Api-Key", "k1")));
    for (int i = 0; i < 5; i++) {
      try (BackendHttp.Response response = http.post(server.url(), Map.of("Content-Type", "application/json"),
          "{\"n\":1}".getBytes(StandardCharsets.UTF_8), LIMIT)) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
      }
    }
    assertThat(server.connections.get()).isEqualTo(1);
    assertThat(server.requests).hasSize(5).allSatisfy(request -> {
      assertThat(request).startsWith("POST /mcp HTTP/1.1");
      assertThat(request).containsIgnoringCase("x-api-key: k1").contains("{\"n\":1}");
    });
  }

  @Test
  void aChunkedStreamIsReadAsItArrivesNotWhenItEnds() throws Exception {
    CompletableFuture<Void> secondEvent = new CompletableFuture<>();
    RawServer server = track(new RawServer(null) {
      @Override
      void answer(String request, OutputStream out) throws Exception {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk("data: one\n\n")).getBytes(StandardCharsets.UTF_8));
        out.flush();
        secondEvent.get(10, TimeUnit.SECONDS); // the client must see "one" before "two" is written
        out.write((chunk("data: two\n\n") + "0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    });
    BackendHttp http = track(new BackendHttp("b", server.url(), Map.of()));
    try (BackendHttp.Response response = http.get(server.url(), Map.of("Accept", "text/event-stream"), LIMIT)) {
      InputStream body = response.body();
      assertThat(new String(body.readNBytes("data: one\n\n".length()), StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
      secondEvent.complete(null);
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: two\n\n");
    }
  }

  @Test
  void aRefusedConnectionIsUnreachableAndNamesTheAddress() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closedPort + "/mcp");
    BackendHttp http = track(new BackendHttp("b", url, Map.of()));
    assertThatThrownBy(() -> http.post(url, Map.of(), new byte[0], LIMIT))
        .isInstanceOf(BackendHttp.Unreachable.class)
        .hasMessageContaining("could not be reached at 127.0.0.1:" + closedPort);
  }

  @Test
  void aBodyCutShortIsAnIoExceptionNotAnUncheckedOne() throws Exception {
    RawServer server = track(new RawServer(null) {
      @Override
      void answer(String request, OutputStream out) throws Exception {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n{\"partial\":").getBytes(StandardCharsets.UTF_8));
        out.flush();
        throw new IOException("hang up after a partial body"); // closes the socket
      }
    });
    BackendHttp http = track(new BackendHttp("b", server.url(), Map.of()));
    try (BackendHttp.Response response = http.post(server.url(), Map.of(), new byte[0], LIMIT)) {
      assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void closeEndsAnExchangeThatIsStillWaitingForItsAnswer() throws Exception {
    CompletableFuture<Void> received = new CompletableFuture<>();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    RawServer server = track(new RawServer(null) {
      @Override
      void answer(String request, OutputStream out) throws Exception {
        received.complete(null);
        // Never answers: holds the exchange open until the test is done with it (bounded).
        done.await(60, TimeUnit.SECONDS);
      }
    });
    try {
      BackendHttp http = new BackendHttp("b", server.url(), Map.of());
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      Thread.ofVirtual().start(() -> {
        try (BackendHttp.Response response = http.post(server.url(), Map.of(), new byte[0], Duration.ofMinutes(5))) {
          outcome.complete(null);
        } catch (Throwable t) {
          outcome.complete(t);
        }
      });
      received.get(10, TimeUnit.SECONDS);
      http.close();
      assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> http.post(server.url(), Map.of(), new byte[0], LIMIT)).hasMessageContaining("closed");
    } finally {
      done.countDown();
    }
  }

  @Test
  void aHeaderTheClientSetsItselfCannotBeConfigured() {
    assertThatThrownBy(() -> new BackendHttp("files", URI.create("http://127.0.0.1:1/mcp"), Map.of("Content-Length", "9")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Backend 'files': header 'Content-Length' is set by the hub and cannot be configured");
  }

  private <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private static String chunk(String text) {
    return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
  }

  /** One thread per connection; answers each request (head and Content-Length body) with {@link #answer}. */
  static class RawServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final java.util.function.Function<String, String> reply;

    RawServer(java.util.function.Function<String, String> reply) throws IOException {
      this.reply = reply;
      Thread.ofVirtual().start(this::accept);
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/mcp");
    }

    void answer(String request, OutputStream out) throws Exception {
      out.write(reply.apply(request).getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private void accept() {
      try {
        while (true) {
          Socket client = socket.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().start(() -> serve(client));
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void serve(Socket client) {
      try (client) {
        InputStream in = client.getInputStream();
        while (true) {
          String head = readHead(in);
          if (head == null) {
            return;
          }
          int length = 0;
          for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).trim());
            }
          }
          String request = head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
          requests.add(request);
          answer(request, client.getOutputStream());
        }
      } catch (Exception e) {
        // the client went away
      }
    }

    private static String readHead(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        head.append((char) c);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          return head.toString();
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
