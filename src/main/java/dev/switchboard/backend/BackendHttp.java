package dev.switchboard.backend;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP/1.1 client of one HTTP backend: Helidon's blocking client, so an exchange runs on the
 * (virtual) thread that asks for it. java.net.http passes every exchange through its selector
 * thread and an executor; measured with bench/run http that cost ~90 µs per call and a third more
 * hub CPU.
 *
 * <p>Every request carries the backend's configured headers. Whatever goes wrong comes out as an
 * {@link IOException} (Helidon reports some failures unchecked), an {@link Unreachable} when no
 * connection could be made. {@link #close} ends every exchange still running (the threads blocked
 * in one are interrupted, which closes their sockets) and the idle keep-alive connections.
 */
final class BackendHttp implements AutoCloseable {
  /** Wait for an answer as long as it takes (a server's own stream). */
  static final Duration FOREVER = Duration.ZERO;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Idle keep-alive connections kept for reuse: a busy backend's concurrent calls. */
  private static final int POOL = 128;
  /** Headers the client sets itself. */
  private static final Set<String> RESTRICTED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    RESTRICTED.addAll(Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding"));
  }

  private final Http1Client client = Http1Client.builder()
      .shareConnectionCache(false)
      .connectionCacheSize(POOL)
      .sendExpectContinue(false)
      .followRedirects(true)
      .socketOptions(options -> options.connectTimeout(CONNECT_TIMEOUT).tcpNoDelay(true))
      .build();
  private final URI url;
  private final Map<String, String> headers;
  /** The thread of each exchange still running, interrupted by {@link #close}. */
  private final Map<Object, Thread> busy = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Refuses (naming it, never its value) a configured header the client sets itself. */
  BackendHttp(String backend, URI url, Map<String, String> headers) {
    for (String name : headers.keySet()) {
      if (RESTRICTED.contains(name)) {
        throw new IllegalArgumentException("Backend '" + backend + "': header '" + name + "' is set by the hub and cannot be configured");
      }
    }
    this.url = url;
    this.headers = headers;
  }

  /**
   * POSTs a JSON body; the answer's body is read from the returned response, which the caller closes.
   *
   * @param readTimeout the longest silence while waiting for the answer or reading it; {@link #FOREVER} for none
   */
  Response post(URI target, Map<String, String> extra, byte[] body, Duration readTimeout) throws IOException {
    return exchange(client.post().uri(target), extra, body, readTimeout);
  }

  Response get(URI target, Map<String, String> extra, Duration readTimeout) throws IOException {
    return exchange(client.get().uri(target), extra, null, readTimeout);
  }

  /** A DELETE whose answer is only its status. */
  int delete(URI target, Map<String, String> extra, Duration readTimeout) throws IOException {
    try (Response response = exchange(client.delete().uri(target), extra, null, readTimeout)) {
      return response.status();
    }
  }

  private Response exchange(Http1ClientRequest request, Map<String, String> extra, byte[] body, Duration readTimeout)
      throws IOException {
    if (closed) {
      throw new IOException("the HTTP client is closed");
    }
    headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
    extra.forEach((name, value) -> request.header(HeaderNames.create(name), value));
    request.readTimeout(readTimeout);
    Object exchange = new Object();
    busy.put(exchange, Thread.currentThread());
    try {
      HttpClientResponse response = body == null ? request.request() : request.submit(body);
      return new Response(response, exchange);
    } catch (RuntimeException e) {
      busy.remove(exchange);
      throw failure(e, true);
    }
  }

  /** Helidon's unchecked failures as IOExceptions; one made before any byte was exchanged may be an {@link Unreachable}. */
  private IOException failure(RuntimeException e, boolean connecting) {
    if (closed) {
      return new IOException("the HTTP client is closed");
    }
    Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
    if (connecting && (cause instanceof ConnectException || cause instanceof UnknownHostException
        || cause instanceof SocketTimeoutException && String.valueOf(cause.getMessage()).contains("onnect")
        || e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).startsWith("Failed to get address"))) {
      return new Unreachable("could not be reached at " + url.getHost() + ":" + port() + " ("
          + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", cause);
    }
    if (cause instanceof IOException io) {
      return io;
    }
    return new IOException(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
  }

  private int port() {
    return url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
  }

  @Override
  public void close() {
    closed = true;
    busy.values().forEach(Thread::interrupt);
    client.closeResource();
  }

  /** No connection could be made: the backend is down or the address is wrong. */
  static final class Unreachable extends IOException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An answer: its status and headers, and its body as a stream (read on the thread that made the exchange). */
  final class Response implements AutoCloseable {
    private final HttpClientResponse response;
    private final Object exchange;
    private final InputStream body;

    private Response(HttpClientResponse response, Object exchange) {
      this.response = response;
      this.exchange = exchange;
      this.body = new FilterInputStream(response.inputStream()) {
        @Override
        public int read() throws IOException {
          try {
            return super.read();
          } catch (RuntimeException e) {
            throw failure(e, false);
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return super.read(b, off, len);
          } catch (RuntimeException e) {
            throw failure(e, false);
          }
        }

        @Override
        public void close() {
          Response.this.close();
        }
      };
    }

    int status() {
      return response.status().code();
    }

    Optional<String> header(String name) {
      return response.headers().first(HeaderNames.create(name));
    }

    String contentType() {
      return header("Content-Type").orElse("");
    }

    InputStream body() {
      return body;
    }

    /** Ends the exchange: an answer read to its end leaves the connection for reuse, one cut short closes it. */
    @Override
    public void close() {
      try {
        response.close();
      } catch (RuntimeException e) {
        // the connection is dropped either way
      } finally {
        busy.remove(exchange);
      }
    }
  }
}
