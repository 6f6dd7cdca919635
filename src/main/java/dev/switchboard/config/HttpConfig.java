package dev.switchboard.config;

import java.time.Duration;
import java.util.List;

/**
 * The HTTP and WebSocket front ({@code http:}).
 *
 * @param allowedOrigins browser origins allowed besides loopback ones ({@code allowed_origins}); "*" allows any
 * @param allowedHosts Host header values allowed besides loopback names and the listen host ({@code allowed_hosts})
 * @param maxBody largest request body accepted ({@code max_body}, 4 MiB)
 * @param sessionIdleTimeout an HTTP session unused this long is ended ({@code session_idle_timeout}, 30m)
 * @param keepalive interval of SSE keep-alive comments and WebSocket pings ({@code keepalive}, 15s)
 */
public record HttpConfig(List<String> allowedOrigins, List<String> allowedHosts, long maxBody,
    Duration sessionIdleTimeout, Duration keepalive) {
  public static final HttpConfig DEFAULT =
      new HttpConfig(List.of(), List.of(), 4L * 1024 * 1024, Duration.ofMinutes(30), Duration.ofSeconds(15));

  public HttpConfig {
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedHosts = List.copyOf(allowedHosts);
  }
}
