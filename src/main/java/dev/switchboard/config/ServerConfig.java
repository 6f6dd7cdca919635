package dev.switchboard.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One backend ({@code servers.NAME}). Exactly one of {@code command} (stdio child process) and
 * {@code url} (Streamable HTTP or legacy SSE) is set.
 *
 * @param name the key under {@code servers}; {@code ^[A-Za-z0-9_-]{1,64}$}
 * @param command program and arguments, already interpolated; {@code command[0]} resolved against the
 *     config directory when it contains a '/'; {@code [switchboard, ...]} means this hub's own launcher
 * @param env extra environment for the child (values are secrets: never logged)
 * @param cwd working directory of the child, resolved against the config directory; null = the hub's
 * @param url the backend's MCP endpoint
 * @param headers extra HTTP headers sent to a url backend (values are secrets: never logged)
 * @param transport for url backends: AUTO (Streamable HTTP, falling back to legacy SSE), STREAMABLE_HTTP or SSE
 * @param prefix prepended to the backend's tool and prompt names to form exposed names ("" when absent)
 * @param isDefault receives calls for names no server owns ({@code default: true}); at most one server
 * @param timeout per-request deadline, reset by progress; null = hub default
 * @param maxTimeout hard maximum per request; null = hub default
 * @param requires capabilities needed for every item of this server (issue: access); empty = none
 * @param position where the entry starts in the config file
 */
public record ServerConfig(
    String name,
    List<String> command,
    Map<String, String> env,
    Path cwd,
    URI url,
    Map<String, String> headers,
    Transport transport,
    String prefix,
    boolean isDefault,
    Duration timeout,
    Duration maxTimeout,
    List<String> requires,
    Position position) {

  public enum Transport { AUTO, STREAMABLE_HTTP, SSE }

  public ServerConfig {
    command = command == null ? List.of() : List.copyOf(command);
    env = ordered(env);
    headers = ordered(headers);
    requires = requires == null ? List.of() : List.copyOf(requires);
    prefix = prefix == null ? "" : prefix;
    transport = transport == null ? Transport.AUTO : transport;
  }

  /** An unmodifiable copy that keeps the file's order (Map.copyOf would not). */
  private static Map<String, String> ordered(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  public boolean isStdio() {
    return url == null;
  }

  /** Never prints env or header values: they carry secrets. */
  @Override
  public String toString() {
    return "ServerConfig[" + name + (isStdio() ? " command=" + (command.isEmpty() ? "?" : command.get(0)) : " url=" + url.getHost())
        + " env=" + env.keySet() + " headers=" + headers.keySet() + " prefix=" + prefix + "]";
  }
}
