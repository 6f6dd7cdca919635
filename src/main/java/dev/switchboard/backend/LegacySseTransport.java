package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  private final String name;
  private final URI url;
  private final Map<String, String> headers;
  private final HttpClient client = HttpMessages.client();
  private final CompletableFuture<URI> endpoint = new CompletableFuture<>();
  private volatile InputStream stream;
  private volatile boolean closed;
  private Listener listener;

  LegacySseTransport(String name, URI url, Map<String, String> headers) {
    HttpMessages.checkHeaders(name, headers);
    this.name = name;
    this.url = url;
    this.headers = headers;
  }

  @Override
  public void start(Listener listener) throws IOException {
    this.listener = listener;
    HttpResponse<InputStream> response;
    try {
      response = client.send(HttpMessages.withHeaders(HttpRequest.newBuilder(url), headers)
          .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while opening the SSE stream");
    } catch (IOException e) {
      throw new IOException("could not open the SSE stream at " + url.getHost() + ":" + url.getPort() + ": " + e, e);
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (response.statusCode() != 200 || !type.startsWith("text/event-stream")) {
      response.body().close();
      throw new IOException("speaks neither Streamable HTTP nor HTTP+SSE: GET answered HTTP " + response.statusCode()
          + (type.isEmpty() ? "" : " with " + type));
    }
    stream = response.body();
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
    SseReader reader = new SseReader(stream, HttpMessages.MAX_LINE);
    try {
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
    HttpRequest post = HttpMessages.withHeaders(HttpRequest.newBuilder(target), headers)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(message)))
        .build();
    if (HttpMessages.isRequest(message)) {
      // Answers come on the stream; a POST is only accepted, but do not hold the caller for it.
      Thread.ofVirtual().name("backend-" + name + "-post").start(() -> {
        try {
          HttpResponse<byte[]> response = client.send(post, HttpResponse.BodyHandlers.ofByteArray());
          if (response.statusCode() / 100 != 2) {
            listener.onMessage(HttpMessages.errorFor(message.get("id"), "Backend '" + name + "' answered HTTP "
                + response.statusCode() + " to " + JsonRpc.method(message) + ": " + HttpMessages.bodySnippet(response.body())), null);
          }
        } catch (IOException e) {
          listener.onMessage(HttpMessages.errorFor(message.get("id"), "Backend '" + name + "' POST failed: " + e), null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      return;
    }
    try {
      HttpResponse<byte[]> response = client.send(post, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() / 100 != 2) {
        throw new IOException("HTTP " + response.statusCode() + ": " + HttpMessages.bodySnippet(response.body()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    InputStream s = stream;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    client.shutdownNow();
  }
}
