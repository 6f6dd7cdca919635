package dev.switchboard.front;

import dev.switchboard.config.HttpConfig;
import dev.switchboard.config.Listen;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The DNS-rebinding guard: which {@code Origin} and {@code Host} header values the HTTP front
 * accepts. Loopback names are always allowed, plus the listen host and what {@code http:}
 * configures; {@code "*"} in a list allows anything. A request without the header passes (clients
 * that are not browsers send no Origin).
 */
final class OriginPolicy {
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

  private final Set<String> origins = new HashSet<>();
  private final Set<String> hosts = new HashSet<>(LOOPBACK);
  private final boolean anyOrigin;
  private final boolean anyHost;

  OriginPolicy(HttpConfig http, Listen listen) {
    for (String origin : http.allowedOrigins()) {
      origins.add(origin.toLowerCase(Locale.ROOT).replaceAll("/+$", ""));
    }
    for (String host : http.allowedHosts()) {
      hosts.add(host.toLowerCase(Locale.ROOT));
    }
    String listenHost = listen.host().toLowerCase(Locale.ROOT);
    if (!listenHost.equals("0.0.0.0") && !listenHost.equals("::")) {
      hosts.add(listenHost);
    }
    anyOrigin = origins.contains("*");
    anyHost = hosts.contains("*");
  }

  boolean originAllowed(String origin) {
    if (origin == null || anyOrigin) {
      return true;
    }
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    if (origins.contains(normalized)) {
      return true;
    }
    try {
      URI uri = URI.create(normalized);
      String scheme = uri.getScheme();
      return ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null && LOOPBACK.contains(uri.getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  boolean hostAllowed(String host) {
    if (host == null || anyHost) {
      return true;
    }
    String value = host.trim().toLowerCase(Locale.ROOT);
    String name;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      name = close < 0 ? value : value.substring(0, close + 1);
    } else {
      int colon = value.lastIndexOf(':');
      name = colon < 0 ? value : value.substring(0, colon);
    }
    return hosts.contains(name);
  }
}
