package dev.switchboard.config;

/** Where the HTTP front listens ({@code listen: 127.0.0.1:8080}). */
public record Listen(String host, int port) {
  public static final Listen DEFAULT = new Listen("127.0.0.1", 8080);

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
