package dev.switchboard.testing;

import java.net.http.HttpClient;
import java.time.Duration;

/** Ending test HTTP clients without the unbounded wait of {@link HttpClient#close()}. */
public final class HttpClients {
  private HttpClients() {}

  /**
   * Aborts what the client still has open (a WebSocket a failed test never closed would make
   * {@code close()} wait forever) and waits for it to end, at most {@code limit}.
   */
  public static void end(HttpClient client, Duration limit) {
    client.shutdownNow();
    try {
      if (!client.awaitTermination(limit)) {
        System.err.println("an HTTP client of the test did not end within " + limit);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
