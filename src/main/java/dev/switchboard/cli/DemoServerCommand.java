package dev.switchboard.cli;

import dev.switchboard.demo.DemoServers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard demo-server database|files|web}: a built-in demo backend as a stdio MCP server. */
final class DemoServerCommand implements Callable<Integer> {
  String kind;

  String root;

  String db;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    if (root != null) {
      args.add("--root");
      args.add(root);
    }
    if (db != null) {
      args.add("--db");
      args.add(db);
    }
    return DemoServers.run(kind, args);
  }
}
