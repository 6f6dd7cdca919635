package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deprecated HTTP+SSE transport (2024-11-05): a GET opens an SSE stream whose first event,
 * {@code endpoint}, names the URL to POST messages to; every answer arrives on the stream.
 */
final class LegacySseTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(LegacySseTransport.class);
  private static final Duration ENDPOINT_WAIT = Duration.ofSeconds(30);
  /** The longest a POST may take: the server only accepts it, answers come on the stream. */
  private static final Duration POST_LIMIT = Duration.ofSeconds(60);
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  private final String name;
  private final URI url;
  private final BackendHttp http;
  private final CompletableFuture<URI> endpoint = new CompletableFuture<>();
  private volatile BackendHttp.Response stream;
  private volatile boolean closed;
  private Listener listener;

  LegacySseTransport(String name, URI url, Map<String, String> headers) {
    this.http = new BackendHttp(name, url, headers);
    this.name = name;
    this.url = url;
  }

  @Override
  public void start(Listener listener) throws IOException {
    this.listener = listener;
    BackendHttp.Response response;
    try {
      response = http.get(url, Map.of("Accept", "text/event-stream"), BackendHttp.FOREVER);
    } catch (IOException e) {
      throw new IOException("could not open the SSE stream at " + url.getHost() + ":" + url.getPort() + ": " + e.getMessage(), e);
    }
    String type = response.contentType();
    if (response.status() != 200 || !type.startsWith("text/event-stream")) {
      response.close();
      throw new IOException("speaks neither Streamable HTTP nor HTTP+SSE: GET answered HTTP " + response.status()
          + (type.isEmpty() ? "" : " with " + type));
    }
    stream = response;
    Thread.ofVirtual().name("backend-" + name + "-sse").start(this::read);
    try {
      endpoint.get(ENDPOINT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw new IOException("sent no 'endpoint' event within " + ENDPOINT_WAIT.toSeconds() + "s on its SSE stream");
    } catch (ExecutionException e) {
      close();
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IOException("interrupted while waiting for the SSE endpoint");
    }
  }

  private void read() {
    BackendHttp.Response response = stream;
    SseReader reader = new SseReader(response.body(), HttpMessages.MAX_LINE);
    try (response) {
      SseReader.Event event;
      while ((event = reader.next()) != null) {
        if ("endpoint".equals(event.event())) {
          URI target = url.resolve(event.data().trim());
          if (!target.getHost().equals(url.getHost()) || target.getPort() != url.getPort()) {
            endpoint.completeExceptionally(new IOException("named an endpoint on another origin; refused"));
            return;
          }
          endpoint.complete(target);
        } else if ("message".equals(event.event()) && !event.data().isBlank()) {
          JsonNode parsed = HttpMessages.parseOrNull(event.data().getBytes(StandardCharsets.UTF_8));
          if (parsed instanceof ObjectNode object) {
            listener.onMessage(object, null);
          } else {
            log.warn("backend={} sent an SSE event that is not a JSON-RPC message (ignored): {}", name, Snippet.of(event.data()));
          }
        }
      }
    } catch (IOException e) {
      if (!closed) {
        log.debug("backend={} SSE stream failed: {}", name, e.toString());
      }
    }
    endpoint.completeExceptionally(new IOException("closed its SSE stream before naming an endpoint"));
    listener.onClosed("closed its SSE stream");
  }

  @Override
  public void send(ObjectNode message) throws IOException {
    if (closed) {
      throw new IOException("the SSE transport is closed");
    }
    URI target = endpoint.getNow(null);
    if (target == null) {
      throw new IOException("no endpoint yet");
    }
    byte[] body = Json.writeBytes(message);
    if (HttpMessages.isRequest(message)) {
      // Answers come on the stream; a POST is only accepted, but do not hold the caller for it.
      Thread.ofVirtual().name("backend-" + name + "-post").start(() -> {
        try {
          post(target, body);
        } catch (IOException e) {
          if (!closed) {
            listener.onMessage(HttpMessages.errorFor(message.get("id"), "Backend '" + name + "' POST of "
                + JsonRpc.method(message) + " failed: " + e.getMessage()), null);
          }
        }
      });
      return;
    }
    post(target, body);
  }

  private void post(URI target, byte[] body) throws IOException {
    try (BackendHttp.Response response = http.post(target, JSON, body, POST_LIMIT)) {
      byte[] answer = response.body().readNBytes(4096);
      if (response.status() / 100 != 2) {
        throw new IOException("HTTP " + response.status() + ": " + HttpMessages.bodySnippet(answer));
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    BackendHttp.Response s = stream;
    if (s != null) {
      s.close();
    }
    http.close();
  }
}
