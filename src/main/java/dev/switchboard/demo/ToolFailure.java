package dev.switchboard.demo;

/**
 * A tool could not do what was asked (bad arguments, a refused query, a missing file). The engine
 * turns it into a {@code tools/call} result with {@code isError: true} and this message as text:
 * that is how MCP reports tool errors, so the model can read them and try again. Protocol failures
 * are {@link dev.switchboard.jsonrpc.McpError}s instead.
 */
public final class ToolFailure extends RuntimeException {

  public ToolFailure(String message) {
    super(message, null, false, false);
  }

  public ToolFailure(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
