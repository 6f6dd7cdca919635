package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Futures;
import dev.switchboard.jsonrpc.McpError;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The answer to a request that went through the pipeline: the JSON-RPC {@code result}, now or
 * later. A backend call's reply completes on the backend's reader thread, so whoever waits does
 * not cost the hub a thread hand-off; what is chained to it must not block.
 */
public final class Reply {
  private final CompletableFuture<JsonNode> result;

  private Reply(CompletableFuture<JsonNode> result) {
    this.result = result;
  }

  /** A reply that is already there (answered by the hub itself, or from a cache). */
  public static Reply of(JsonNode result) {
    if (result == null) {
      throw new IllegalArgumentException("a reply needs a result");
    }
    return new Reply(CompletableFuture.completedFuture(result));
  }

  /** A reply still on its way; the future fails with an {@link McpError}. */
  public static Reply pending(CompletableFuture<JsonNode> result) {
    return new Reply(result);
  }

  public CompletableFuture<JsonNode> result() {
    return result;
  }

  /** Blocks until the result is there; throws its McpError. */
  public JsonNode await() {
    return Futures.await(result);
  }

  /** Runs {@code hook} with the result or the error once there (on the completing thread; it must not block). */
  public Reply whenDone(BiConsumer<JsonNode, McpError> hook) {
    return new Reply(result.whenComplete((value, failure) ->
        hook.accept(value, failure == null ? null : Futures.unwrap(failure))));
  }
}
