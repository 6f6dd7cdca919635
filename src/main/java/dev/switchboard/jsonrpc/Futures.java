package dev.switchboard.jsonrpc;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting on the one future of a pending request, with its {@link McpError} rethrown as itself. */
public final class Futures {
  private Futures() {}

  /**
   * Blocks until the future completes (the future carries its own deadline) and returns its value.
   *
   * @throws McpError the failure the future completed with, or an internal error for anything else
   */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    } catch (CancellationException e) {
      throw McpError.internal("request abandoned");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw McpError.backendUnavailable("interrupted: the hub is shutting down");
    }
  }

  /** The McpError a future failed with (unwrapping completion wrappers), or an internal error naming the cause. */
  public static McpError unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof McpError mcp ? mcp : McpError.internal(cause.toString());
  }
}
