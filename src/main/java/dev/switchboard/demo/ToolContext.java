package dev.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * What a running tool may do besides returning its result: report progress, log to the client,
 * and notice that the client cancelled the call. One context per {@code tools/call}; it is safe to
 * use from the tool's own thread only.
 */
public interface ToolContext {

  /**
   * Sends {@code notifications/progress} echoing the call's {@code _meta.progressToken}. Does
   * nothing when the call carried no progress token or was cancelled by the client.
   *
   * @param progress increases with each call
   * @param total the expected final value, or null when unknown
   * @param message a human-readable line, or null
   */
  void progress(double progress, Double total, String message);

  /**
   * Sends {@code notifications/message} unless {@code level} is below the level the client set with
   * {@code logging/setLevel} (or the call was cancelled by the client).
   *
   * @param level one of debug, info, notice, warning, error, critical, alert, emergency
   * @param logger the logger name, or null
   * @param data any JSON value
   * @throws IllegalArgumentException for a level that is not one of the above
   */
  void log(String level, String logger, JsonNode data);

  /** True once the client cancelled this call (or the server is shutting down); stop early. */
  boolean isCancelled();

  /**
   * Waits {@code duration} in real time, returning early when the call is cancelled. This is how a
   * tool paces itself; it never ignores a cancellation for longer than it takes to notice it.
   *
   * @return true when the call was cancelled (before or during the wait)
   */
  boolean pause(Duration duration);
}
