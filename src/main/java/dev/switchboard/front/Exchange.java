package dev.switchboard.front;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One POSTed request and its answer, written by the handler's thread (a Helidon handler must not
 * return before its response is complete). What the session produces for the request arrives on a
 * queue from any thread. The answer is plain JSON when the result comes first; the first
 * notification (progress, a log line) turns it into an SSE stream instead, so a call with nothing
 * to stream costs no SSE framing and a call that streams is never buffered.
 */
final class Exchange {
  private static final ObjectNode DONE = Json.object();

  private final BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
  private final Function<ObjectNode, Status> statusOf;
  private final boolean streamWhenSlow;
  private volatile ObjectNode response;

  /** The handshake era's exchange: a JSON answer is always 200. */
  Exchange() {
    this(response -> Status.OK_200, false);
  }

  /**
   * @param statusOf the HTTP status of a plain JSON answer (the stateless era answers some errors with 400 or 404)
   * @param streamWhenSlow when the answer is not there after one keep-alive interval, switch to SSE and send
   *     keep-alive comments: writing is the only way to notice a client that went away (which, in the
   *     stateless era, cancels the request)
   */
  Exchange(Function<ObjectNode, Status> statusOf, boolean streamWhenSlow) {
    this.statusOf = statusOf;
    this.streamWhenSlow = streamWhenSlow;
  }

  /** A notification that belongs to this request. */
  void notification(ObjectNode message) {
    queue.add(message);
  }

  /** The final response; null when the client cancelled the request. */
  void respond(ObjectNode message) {
    response = message;
    queue.add(DONE);
  }

  /**
   * Writes the exchange until the final response. Returns false when the client went away first
   * (then {@code onDisconnect} has run).
   */
  boolean deliver(ServerResponse res, Duration keepalive, Runnable onDisconnect) {
    SseStream sse = null;
    try {
      while (true) {
        ObjectNode next;
        try {
          next = queue.poll(keepalive.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          onDisconnect.run();
          return false;
        }
        if (next == null) {
          if (sse == null && streamWhenSlow) {
            sse = SseStream.open(res);
          } else if (sse != null) {
            sse.comment("keep-alive");
          }
          continue;
        }
        if (next == DONE) {
          break;
        }
        if (sse == null) {
          sse = SseStream.open(res);
        }
        sse.message(next);
      }
      ObjectNode answer = response;
      if (sse != null) {
        if (answer != null) {
          sse.message(answer);
        }
        sse.close();
      } else if (answer != null) {
        HttpReplies.json(res, statusOf.apply(answer), answer);
      } else {
        res.status(Status.ACCEPTED_202).header(HeaderNames.CONTENT_LENGTH, "0").send();
      }
      return true;
    } catch (IOException | java.io.UncheckedIOException e) {
      onDisconnect.run();
      return false;
    }
  }
}
