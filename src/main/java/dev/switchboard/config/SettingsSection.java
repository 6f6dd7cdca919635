package dev.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads the hub-wide sections: {@code listen}, {@code hub}, {@code cache} and {@code audit}. */
final class SettingsSection {
  static final List<String> HUB_KEYS =
      List.of("request_timeout", "max_request_timeout", "startup_wait", "shutdown_grace", "page_size", "health_interval",
          "result_ttl");
  static final List<String> CACHE_KEYS = List.of("default_ttl", "store", "max_size", "store_timeout");
  static final List<String> AUDIT_KEYS = List.of("file");
  static final List<String> HTTP_KEYS =
      List.of("allowed_origins", "allowed_hosts", "max_body", "session_idle_timeout", "keepalive");

  private static final Pattern PORT = Pattern.compile("\\d{1,5}");
  private static final Pattern REDIS_DB = Pattern.compile("(/\\d*)?");

  private SettingsSection() {}

  /** {@code listen: HOST:PORT}, {@code [IPV6]:PORT} or a bare port (on 127.0.0.1). */
  static Listen listen(NodeReader reader, Node node) {
    if (node instanceof SequenceNode) {
      reader.error(node, "listen: expected HOST:PORT like 127.0.0.1:8080 or a port number, got a list"
          + " (quote an IPv6 address: \"[::1]:8080\")");
      return Listen.DEFAULT;
    }
    NodeReader.Text text = reader.text(node, "listen", "HOST:PORT like 127.0.0.1:8080 or a port number");
    if (text == null) {
      return Listen.DEFAULT;
    }
    String value = text.value().trim();
    String host = Listen.DEFAULT.host();
    String port = value;
    if (value.startsWith("[")) {
      int close = value.indexOf("]:");
      host = close < 0 ? "" : value.substring(1, close);
      port = close < 0 ? "" : value.substring(close + 2);
    } else if (value.contains(":")) {
      int colon = value.lastIndexOf(':');
      host = value.substring(0, colon);
      port = value.substring(colon + 1);
      if (host.contains(":")) {
        reader.error(node, "invalid listen address " + text.shown()
            + " for listen; write an IPv6 address in brackets, like [::1]:8080");
        return Listen.DEFAULT;
      }
    }
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace) || !PORT.matcher(port).matches()) {
      reader.error(node, "invalid listen address " + text.shown()
          + " for listen; expected HOST:PORT like 127.0.0.1:8080 or [::1]:8080, or a port number");
      return Listen.DEFAULT;
    }
    int number = Integer.parseInt(port);
    if (number > 65535) {
      reader.error(node, "invalid listen address " + text.shown() + " for listen; the port must be from 0 to 65535");
      return Listen.DEFAULT;
    }
    return new Listen(host, number);
  }

  static HubSettings hub(NodeReader reader, Node node) {
    HubSettings defaults = HubSettings.DEFAULTS;
    Fields hub = reader.map(node, "hub", "a map like {request_timeout: 60s}", HUB_KEYS);
    if (hub == null) {
      return defaults;
    }
    Duration requestTimeout = or(hub.duration("request_timeout"), defaults.requestTimeout());
    Duration maxRequestTimeout = or(hub.duration("max_request_timeout"), defaults.maxRequestTimeout());
    Integer pageSize = reader.integer(hub.value("page_size"), hub.path("page_size"), 1, 10_000);
    if (maxRequestTimeout.compareTo(requestTimeout) < 0) {
      if (hub.has("max_request_timeout")) {
        reader.error(hub.keyNode("max_request_timeout"),
            "hub.max_request_timeout must not be shorter than hub.request_timeout");
      } else {
        reader.error(hub.keyNode("request_timeout"), "hub.request_timeout must not be longer than"
            + " hub.max_request_timeout (default " + Durations.format(defaults.maxRequestTimeout())
            + "); set hub.max_request_timeout too");
      }
    }
    return new HubSettings(
        requestTimeout,
        maxRequestTimeout,
        or(hub.duration("startup_wait"), defaults.startupWait()),
        or(hub.duration("shutdown_grace"), defaults.shutdownGrace()),
        or(pageSize, defaults.pageSize()),
        or(hub.duration("health_interval"), defaults.healthInterval()),
        or(hub.duration("result_ttl"), defaults.resultTtl()));
  }

  static CacheConfig cache(NodeReader reader, Node node) {
    CacheConfig defaults = CacheConfig.DEFAULT;
    Fields cache = reader.map(node, "cache", "a map like {default_ttl: 60s, store: memory}", CACHE_KEYS);
    if (cache == null) {
      return defaults;
    }
    Long maxBytes = reader.size(cache.value("max_size"), cache.path("max_size"));
    return new CacheConfig(
        cache.duration("default_ttl"),
        redis(reader, cache.value("store")),
        maxBytes == null ? defaults.maxBytes() : maxBytes,
        or(cache.duration("store_timeout"), defaults.storeTimeout()));
  }

  /** {@code memory} (null) or {@code redis://HOST[:PORT][/DB]} / {@code rediss://...}. */
  private static URI redis(NodeReader reader, Node node) {
    NodeReader.Text text = reader.string(node, "cache.store", "memory or redis://HOST[:PORT][/DB]");
    if (text == null || text.value().equals("memory")) {
      return null;
    }
    try {
      URI uri = new URI(text.value().trim());
      if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null
          && uri.getQuery() == null && uri.getFragment() == null
          && REDIS_DB.matcher(uri.getPath() == null ? "" : uri.getPath()).matches()) {
        return uri;
      }
    } catch (URISyntaxException invalid) {
      // reported below
    }
    reader.error(node, "invalid store " + text.shownUrl()
        + " for cache.store; expected memory or redis://HOST[:PORT][/DB] (rediss:// for TLS)");
    return null;
  }

  static HttpConfig http(NodeReader reader, Node node) {
    HttpConfig defaults = HttpConfig.DEFAULT;
    Fields http = reader.map(node, "http", "a map like {max_body: 4MiB, allowed_origins: [https://app.example.com]}",
        HTTP_KEYS);
    if (http == null) {
      return defaults;
    }
    List<String> origins = http.strings("allowed_origins", "[https://app.example.com]");
    List<String> hosts = http.strings("allowed_hosts", "[mcp.example.com]");
    Long maxBody = reader.size(http.value("max_body"), http.path("max_body"));
    return new HttpConfig(
        origins == null ? defaults.allowedOrigins() : origins,
        hosts == null ? defaults.allowedHosts() : hosts,
        maxBody == null ? defaults.maxBody() : maxBody,
        or(http.duration("session_idle_timeout"), defaults.sessionIdleTimeout()),
        or(http.duration("keepalive"), defaults.keepalive()));
  }

  /** {@code audit: {file: PATH}} (resolved against the config directory) or {@code file: stderr}. */
  static AuditConfig audit(NodeReader reader, Node node, Path base) {
    Fields audit = reader.map(node, "audit", "a map like {file: audit.log}", AUDIT_KEYS);
    if (audit == null) {
      return AuditConfig.STDERR;
    }
    NodeReader.Text file = audit.string("file", "a path or stderr");
    if (file == null || file.value().equals("stderr")) {
      return AuditConfig.STDERR;
    }
    Path path = reader.resolve(file, audit.path("file"), base);
    return path == null ? AuditConfig.STDERR : new AuditConfig(path);
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
