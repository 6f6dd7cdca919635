package dev.switchboard.cli;

import dev.switchboard.demo.DemoServers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard demo-server database|files|web}: a built-in demo backend as a stdio MCP server. */
@Command(name = "demo-server", description = "Run a built-in demo backend (database, files or web) as a stdio MCP server.")
final class DemoServerCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "KIND", description = "database, files or web")
  String kind;

  @Option(names = "--root", paramLabel = "DIR", description = "files: the sandbox root (default: $SWITCHBOARD_FILES_ROOT, else the working directory)")
  String root;

  @Option(names = "--db", paramLabel = "PATH", description = "database: the SQLite file (default: $DB_URL, else ~/.cache/switchboard/demo.db)")
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
