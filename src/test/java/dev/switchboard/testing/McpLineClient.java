package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A raw JSON-lines MCP client for tests: writes lines, reads every line the peer writes, matches
 * responses by id and keeps notifications (with the time they arrived) for assertions.
 */
public final class McpLineClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A message as received, with its arrival time. */
  public record Received(ObjectNode message, long nanos) {}

  private final OutputStream out;
  private final AtomicLong ids = new AtomicLong();
  /** Keyed by the id's JSON text, so 1 (int) and 1 (long) are one key and "1" another. */
  private final Map<String, CompletableFuture<ObjectNode>> responses = new ConcurrentHashMap<>();
  private final List<Received> notifications = new CopyOnWriteArrayList<>();
  private final List<Received> all = new CopyOnWriteArrayList<>();
  private final List<String> nonJson = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  public McpLineClient(InputStream in, OutputStream out) {
    this.out = out;
    Thread.ofPlatform().daemon().name("test-client-reader").start(() -> read(in));
  }

  private void read(InputStream in) {
    LineReader reader = new LineReader(in, 64 * 1024 * 1024);
    try {
      byte[] line;
      while ((line = reader.readLine()) != null) {
        JsonNode node;
        try {
          node = Json.parse(line, 0, line.length);
        } catch (RuntimeException e) {
          nonJson.add(new String(line, StandardCharsets.UTF_8));
          continue;
        }
        ObjectNode message = (ObjectNode) node;
        Received received = new Received(message, System.nanoTime());
        all.add(received);
        if (message.has("method")) {
          notifications.add(received);
        } else {
          responses.computeIfAbsent(String.valueOf(message.get("id")), k -> new CompletableFuture<>()).complete(message);
        }
      }
    } catch (IOException e) {
      // the peer is gone
    }
    ended.complete(null);
  }

  /** Writes one raw line (which need not be valid JSON). */
  public synchronized void sendRaw(String line) {
    try {
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException("could not write to the peer", e);
    }
  }

  public void send(ObjectNode message) {
    sendRaw(Json.write(message));
  }

  public long nextId() {
    return ids.incrementAndGet();
  }

  /** Sends a request and returns its response (result or error). */
  public ObjectNode request(String method, ObjectNode params) {
    long id = nextId();
    send(JsonRpc.request(Json.MAPPER.getNodeFactory().numberNode(id), method, params));
    return response(id);
  }

  /** Sends a request; the response comes later via {@link #response}. */
  public long requestAsync(String method, ObjectNode params) {
    long id = nextId();
    send(JsonRpc.request(Json.MAPPER.getNodeFactory().numberNode(id), method, params));
    return id;
  }

  public ObjectNode response(long id) {
    return response(Json.MAPPER.getNodeFactory().numberNode(id), TIMEOUT);
  }

  public ObjectNode response(JsonNode id, Duration timeout) {
    try {
      return responses.computeIfAbsent(String.valueOf(id), k -> new CompletableFuture<>()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no response to id " + id + " within " + timeout + "; received: " + all, e);
    }
  }

  /** The result of a request, failing the test with the error when there is one. */
  public ObjectNode result(String method, ObjectNode params) {
    ObjectNode response = request(method, params);
    if (response.has("error")) {
      throw new AssertionError(method + " failed: " + response.get("error"));
    }
    return (ObjectNode) response.get("result");
  }

  public ObjectNode initialize() {
    ObjectNode params = Json.object();
    params.put("protocolVersion", "2025-11-25");
    params.putObject("capabilities");
    params.putObject("clientInfo").put("name", "test-client").put("version", "1");
    ObjectNode result = result("initialize", params);
    send(JsonRpc.notification("notifications/initialized", null));
    return result;
  }

  public List<Received> notifications() {
    return List.copyOf(notifications);
  }

  /** Waits for a notification matching the predicate; fails the test at the deadline. */
  public ObjectNode awaitNotification(Predicate<ObjectNode> matcher, Duration timeout) {
    try {
      return org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10))
          .until(() -> notifications.stream().map(Received::message).filter(matcher).findFirst().orElse(null),
              java.util.Objects::nonNull);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no matching notification within " + timeout + "; got " + notifications, e);
    }
  }

  public List<String> nonJsonLines() {
    return List.copyOf(nonJson);
  }

  public boolean awaitEnd(Duration timeout) {
    try {
      ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
