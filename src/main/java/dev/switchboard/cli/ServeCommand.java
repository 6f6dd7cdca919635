package dev.switchboard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code switchboard serve}: the HTTP and WebSocket front. */
@Command(name = "serve", description = "Serve MCP clients over Streamable HTTP (/mcp) and WebSocket (/ws).")
final class ServeCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Override
  public Integer call() {
    System.err.println("switchboard serve: the HTTP front is not built yet; use 'switchboard stdio'.");
    return 2;
  }
}
