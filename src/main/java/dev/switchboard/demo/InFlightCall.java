package dev.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.protocol.Methods;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One {@code tools/call} in progress: the {@link ToolContext} its tool sees, and the cancellation
 * state. A call is cancelled by the client ({@code notifications/cancelled}: its response is then
 * not sent, as the spec asks) or by the server at end of input (the response is still written).
 */
final class InFlightCall implements ToolContext {
  private final JsonNode id;
  private final String tool;
  private final JsonNode progressToken;
  private final MessageWriter writer;
  private final Supplier<LogLevel> minimumLevel;
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean cancelledByClient;

  InFlightCall(JsonNode id, String tool, JsonNode progressToken, MessageWriter writer, Supplier<LogLevel> minimumLevel) {
    this.id = id;
    this.tool = tool;
    this.progressToken = progressToken;
    this.writer = writer;
    this.minimumLevel = minimumLevel;
  }

  JsonNode id() {
    return id;
  }

  String tool() {
    return tool;
  }

  void cancel(boolean byClient) {
    if (byClient) {
      cancelledByClient = true;
    }
    cancelled.countDown();
  }

  boolean cancelledByClient() {
    return cancelledByClient;
  }

  void markDone() {
    done.countDown();
  }

  boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void progress(double progress, Double total, String message) {
    if (progressToken == null || cancelledByClient) {
      return;
    }
    ObjectNode params = Json.object();
    params.set("progressToken", progressToken);
    putNumber(params, "progress", progress);
    if (total != null) {
      putNumber(params, "total", total);
    }
    if (message != null) {
      params.put("message", message);
    }
    writer.write(JsonRpc.notification(Methods.PROGRESS, params));
  }

  @Override
  public void log(String level, String logger, JsonNode data) {
    LogLevel parsed = LogLevel.parse(level);
    if (parsed.compareTo(minimumLevel.get()) < 0 || cancelledByClient) {
      return;
    }
    ObjectNode params = Json.object();
    params.put("level", parsed.wireName());
    if (logger != null) {
      params.put("logger", logger);
    }
    params.set("data", data == null ? Json.object().nullNode() : data);
    writer.write(JsonRpc.notification(Methods.MESSAGE, params));
  }

  @Override
  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  @Override
  public boolean pause(Duration duration) {
    try {
      return cancelled.await(Math.max(0, duration.toNanos()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Whole numbers are written as integers ({@code 3}, not {@code 3.0}); clients compare them as numbers anyway. */
  private static void putNumber(ObjectNode node, String field, double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      node.put(field, (long) value);
    } else {
      node.put(field, value);
    }
  }
}
