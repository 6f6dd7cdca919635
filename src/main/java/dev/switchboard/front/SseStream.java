package dev.switchboard.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Server-Sent Events response, written by one thread: each event flushed at once, keep-alive
 * comments, no buffering by proxies ({@code X-Accel-Buffering: no}). A write that fails means the
 * client went away; the caller decides what that means.
 */
final class SseStream implements AutoCloseable {
  private final OutputStream out;
  private boolean closed;

  private SseStream(OutputStream out) {
    this.out = out;
  }

  /** Sends the SSE headers and returns the open stream. */
  static SseStream open(ServerResponse response) throws IOException {
    response.status(Status.OK_200);
    response.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
    response.header(HeaderNames.CACHE_CONTROL, "no-cache, no-transform");
    response.header("X-Accel-Buffering", "no");
    OutputStream out = response.outputStream();
    SseStream stream = new SseStream(out);
    // An initial comment commits the headers now, so the client knows the stream is open.
    stream.comment("stream open");
    return stream;
  }

  void event(String name, String data) throws IOException {
    StringBuilder text = new StringBuilder(data.length() + 32);
    if (name != null) {
      text.append("event: ").append(name).append('\n');
    }
    for (String line : data.split("\n", -1)) {
      text.append("data: ").append(line).append('\n');
    }
    text.append('\n');
    write(text.toString());
  }

  /** One JSON-RPC message as a {@code message} event. */
  void message(JsonNode message) throws IOException {
    event("message", Json.write(message));
  }

  void comment(String text) throws IOException {
    write(": " + text + "\n\n");
  }

  private void write(String text) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (RuntimeException e) {
      // Helidon reports a connection the client closed with its own unchecked exceptions
      // (ServerConnectionException, SocketWriterException): to callers it is a failed write like any other.
      throw new IOException("the client went away: " + e.getMessage(), e);
    }
  }

  /** What a long-lived stream writes first (e.g. the legacy transport's endpoint event). */
  interface Prelude {
    void write(SseStream stream) throws IOException;
  }

  /**
   * Serves a long-lived stream: opens it, writes the prelude, then each queued message as an event
   * (keep-alive comments while the queue is quiet) until {@code end} is taken. Returns when the
   * stream ends or the client goes away.
   */
  static void pump(ServerResponse res, BlockingQueue<ObjectNode> queue, ObjectNode end, Duration keepalive, Prelude prelude) {
    try (SseStream sse = open(res)) {
      prelude.write(sse);
      while (true) {
        ObjectNode next = queue.poll(keepalive.toMillis(), TimeUnit.MILLISECONDS);
        if (next == end) {
          return;
        }
        if (next == null) {
          sse.comment("keep-alive");
        } else {
          sse.message(next);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // the client closed the stream
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      // the client is gone already
    }
  }
}
