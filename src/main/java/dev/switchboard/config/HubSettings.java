package dev.switchboard.config;

import java.time.Duration;

/**
 * Hub-wide settings ({@code hub:} section).
 *
 * @param requestTimeout default deadline of one request to a backend, reset by progress ({@code request_timeout}, 60s)
 * @param maxRequestTimeout the hard maximum however much progress arrives ({@code max_request_timeout}, 10m)
 * @param startupWait how long the first list request waits for backends still starting ({@code startup_wait}, 5s)
 * @param shutdownGrace how long a child gets after its stdin closes, and again after SIGTERM ({@code shutdown_grace}, 5s)
 * @param pageSize items per page of a merged list ({@code page_size}, 100)
 * @param healthInterval how often each backend is probed with a ping ({@code health_interval}, 15s)
 * @param resultTtl the {@code ttlMs} the hub puts on the cacheable results it answers itself in the stateless
 *     era: lists and {@code server/discover} ({@code result_ttl}, 10s); a backend's shorter one wins
 */
public record HubSettings(
    Duration requestTimeout,
    Duration maxRequestTimeout,
    Duration startupWait,
    Duration shutdownGrace,
    int pageSize,
    Duration healthInterval,
    Duration resultTtl) {
  public static final Duration DEFAULT_RESULT_TTL = Duration.ofSeconds(10);
  public static final HubSettings DEFAULTS = new HubSettings(
      Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(5), 100,
      Duration.ofSeconds(15), DEFAULT_RESULT_TTL);

  /** The settings with the default {@code result_ttl}. */
  public HubSettings(Duration requestTimeout, Duration maxRequestTimeout, Duration startupWait, Duration shutdownGrace,
      int pageSize, Duration healthInterval) {
    this(requestTimeout, maxRequestTimeout, startupWait, shutdownGrace, pageSize, healthInterval, DEFAULT_RESULT_TTL);
  }
}
