package dev.switchboard.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo backends shipped with Switchboard for the quick start: {@code database} (an embedded,
 * read-only SQLite shop), {@code files} (read-only files under a sandbox root) and {@code web}
 * (synthetic weather and a log stream). Each is an MCP server on stdin and stdout, run by
 * {@code switchboard demo-server KIND}.
 *
 * <p>Options: {@code --root DIR} (files; else {@code $SWITCHBOARD_FILES_ROOT}, else the working
 * directory), {@code --db PATH} (database; else {@code $DB_URL}, a {@code jdbc:sqlite:} URL, else
 * {@code $XDG_CACHE_HOME/switchboard/demo.db} or {@code ~/.cache/switchboard/demo.db}, created on
 * first use), {@code --page-size N} (tools per {@code tools/list} page).
 */
public final class DemoServers {
  private static final Logger log = LoggerFactory.getLogger(DemoServers.class);

  /** The kinds of demo server, in the order they are documented. */
  public static final List<String> KINDS = List.of("database", "files", "web");

  /** The exit code for a usage error: an unknown kind or option. */
  public static final int EXIT_USAGE = 2;
  /** The exit code when the server could not start or its input failed. */
  public static final int EXIT_FAILURE = 1;

  private DemoServers() {}

  /**
   * Runs the demo server {@code kind} on stdin and stdout until stdin ends.
   *
   * <p>While it runs, {@code System.out} is pointed at stderr so that nothing but protocol
   * messages reaches stdout, whatever a library prints.
   *
   * @param kind database, files or web
   * @param args the options after the kind
   * @return 0 when stdin ended, {@link #EXIT_USAGE} for an unknown kind or option (a message is
   *     printed on stderr), {@link #EXIT_FAILURE} when the server could not start
   */
  public static int run(String kind, List<String> args) {
    PrintStream protocolOut = System.out;
    System.setOut(System.err);
    try {
      return run(kind, args, System.getenv(), System.in, protocolOut, System.err);
    } finally {
      System.setOut(protocolOut);
    }
  }

  static int run(String kind, List<String> args, Map<String, String> env, InputStream in, OutputStream out, PrintStream err) {
    McpStdioServer server;
    try {
      server = create(kind, args, env);
    } catch (IllegalArgumentException e) {
      err.println("switchboard demo-server: " + e.getMessage());
      return EXIT_USAGE;
    } catch (IOException | SQLException e) {
      err.println("switchboard demo-server " + kind + ": could not start: " + e.getMessage());
      return EXIT_FAILURE;
    }
    try {
      server.run(in, out);
      return 0;
    } catch (IOException e) {
      log.error("server={} reading stdin failed", server.name(), e);
      return EXIT_FAILURE;
    }
  }

  /**
   * Builds the demo server {@code kind} without running it (the database is created if needed).
   *
   * @param env the environment to read DB_URL, XDG_CACHE_HOME, HOME and SWITCHBOARD_FILES_ROOT from
   * @throws IllegalArgumentException for an unknown kind or option
   * @throws IOException when the files root or the database file is unusable
   * @throws SQLException when the database cannot be created
   */
  public static McpStdioServer create(String kind, List<String> args, Map<String, String> env) throws IOException, SQLException {
    if (kind == null || !KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown demo server '" + kind + "'; expected one of " + String.join(", ", KINDS));
    }
    DemoOptions options = DemoOptions.parse(args);
    String version = version();
    String name = "switchboard-demo-" + kind;
    return switch (kind) {
      case "database" -> {
        Path file = DemoDatabase.locate(options.db(), env);
        DemoDatabase.ensureCreated(file);
        yield new McpStdioServer(name, version,
            "A demo SQLite database of a made-up shop (tables customers, products, orders). "
                + "Call list_tables for the schema, then query with one read-only SELECT.",
            new DatabaseTools(file, DatabaseTools.DEFAULT_TIME_LIMIT).tools(), options.pageSize());
      }
      case "files" -> {
        String root = options.root() != null ? options.root() : env.get("SWITCHBOARD_FILES_ROOT");
        Sandbox sandbox = new Sandbox(Path.of(root != null && !root.isBlank() ? root : "."));
        yield new McpStdioServer(name, version,
            "Read-only access to the files under one directory (the sandbox root). "
                + "Paths are relative to it; call list_files first.",
            new FileTools(sandbox).tools(), options.pageSize());
      }
      default -> new McpStdioServer(name, version,
          "Synthetic demo data: get_weather makes up (deterministic) weather; stream_logs emits progress "
              + "and log notifications.",
          new WebTools(InstantSource.system()).tools(), options.pageSize());
    };
  }

  /** {@code java dev.switchboard.demo.DemoServers KIND [options]}: runs {@link #run} and exits with its code. */
  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: DemoServers KIND [--root DIR] [--db PATH] [--page-size N]; KIND is one of "
          + String.join(", ", KINDS));
      System.exit(EXIT_USAGE);
    }
    System.exit(run(args[0], Arrays.asList(args).subList(1, args.length)));
  }

  private static String version() {
    String v = DemoServers.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
