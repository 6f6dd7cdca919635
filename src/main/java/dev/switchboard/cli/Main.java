package dev.switchboard.cli;

import dev.switchboard.protocol.Version;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code switchboard} command line. Exit codes: 0 ok, 1 check found problems or the hub failed, 2 usage.
 *
 * <p>The commands are described with picocli's programmatic API rather than its annotations: reading
 * annotations reflectively (annotation proxies, method-handle field accessors) was the largest single
 * cost of start-up, 110-330 ms on 2 cores depending on what ran beside it.
 */
public final class Main {
  /** {@code --config FILE}; null when not given. */
  Path config;

  private Main() {}

  public static void main(String[] args) {
    warmUp();
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this without exiting). */
  public static int run(String... args) {
    CommandLine commandLine = commandLine(new Main());
    commandLine.setErr(new PrintWriter(System.err, true));
    commandLine.setOut(new PrintWriter(System.out, true));
    return commandLine.execute(args);
  }

  private static CommandLine commandLine(Main main) {
    CommandLine[] self = new CommandLine[1]; // the actions below print its usage
    CommandSpec root = command("switchboard", "An MCP hub: one endpoint in front of many MCP servers.", () -> {
      self[0].usage(self[0].getOut());
      return 0;
    });
    root.version("switchboard " + Version.current() + " (Java " + Runtime.version() + ")");
    root.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Print version information and exit.").build());
    root.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(Path.class).scopeType(ScopeType.INHERIT)
        .description("Config file (default: ./switchboard.yaml if present, else the built-in demo config).")
        .setter(setter(value -> main.config = (Path) value)).build());
    root.addOption(OptionSpec.builder("--log-level").paramLabel("LEVEL").type(String.class).scopeType(ScopeType.INHERIT)
        .description("trace, debug, info (default), warn, error or off. Logs go to stderr.")
        .setter(setter(value -> {
          awaitLogging();
          LogConfigurator.setLevel((String) value);
        })).build());
    CommandLine commandLine = new CommandLine(root);
    self[0] = commandLine;

    commandLine.addSubcommand(new CommandLine(command("serve", "Serve MCP clients over Streamable HTTP (/mcp), legacy SSE"
        + " (/sse), WebSocket (/ws), with /health; listens on 'listen' (default 127.0.0.1:8080).", new ServeCommand(main))));
    commandLine.addSubcommand(new CommandLine(command("stdio",
        "Serve one MCP client over stdin/stdout (logs go to stderr).", new StdioCommand(main))));
    commandLine.addSubcommand(new CommandLine(command("check",
        "Validate a config file; print every problem as FILE:LINE:COLUMN: message.", new CheckCommand(main))));

    DemoServerCommand demo = new DemoServerCommand();
    CommandSpec demoSpec = command("demo-server",
        "Run a built-in demo backend (database, files or web) as a stdio MCP server.", demo);
    demoSpec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("KIND").type(String.class)
        .description("database, files or web").setter(setter(value -> demo.kind = (String) value)).build());
    demoSpec.addOption(OptionSpec.builder("--root").paramLabel("DIR").type(String.class)
        .description("files: the sandbox root (default: $SWITCHBOARD_FILES_ROOT, else the working directory)")
        .setter(setter(value -> demo.root = (String) value)).build());
    demoSpec.addOption(OptionSpec.builder("--db").paramLabel("PATH").type(String.class)
        .description("database: the SQLite file (default: $DB_URL, else ~/.cache/switchboard/demo.db)")
        .setter(setter(value -> demo.db = (String) value)).build());
    commandLine.addSubcommand(new CommandLine(demoSpec));

    String[] topic = new String[1];
    CommandSpec help = command("help", "Display help information about the specified command.",
        () -> help(commandLine, topic[0]));
    help.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("COMMAND").type(String.class)
        .description("The command to show help for.").setter(setter(value -> topic[0] = (String) value)).build());
    commandLine.addSubcommand(new CommandLine(help));
    return commandLine;
  }

  /** A command with {@code -h/--help} that runs {@code action}. */
  private static CommandSpec command(String name, String description, Callable<Integer> action) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(action);
    spec.name(name);
    spec.usageMessage().description(description);
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
    return spec;
  }

  /** {@code switchboard help [COMMAND]}: the usage of the hub, or of one of its commands. */
  private static int help(CommandLine root, String topic) {
    if (topic == null) {
      root.usage(root.getOut());
      return 0;
    }
    CommandLine sub = root.getSubcommands().get(topic);
    if (sub == null) {
      root.getErr().println("Unknown command: '" + topic + "'; the commands are: "
          + String.join(", ", List.copyOf(root.getSubcommands().keySet())));
      return 2;
    }
    sub.usage(root.getOut());
    return 0;
  }

  private interface Assign {
    void set(Object value);
  }

  /**
   * A setter for a value the user gave. Picocli also calls setters with an option's initial value
   * (null) when a command starts parsing, and again for an inherited option's copy in the
   * subcommand: null is ignored so a value given before the subcommand's name survives.
   */
  private static ISetter setter(Assign assign) {
    return new ISetter() {
      @Override
      public <T> T set(T value) {
        if (value != null) {
          assign.set(value);
        }
        return null;
      }
    };
  }

  /** Counted down once the warm-up thread has set up logging; null when main() did not warm up. */
  private static volatile CountDownLatch loggingReady;

  /**
   * Waits (at most 10 s) for the warm-up thread to finish setting up logging: while it runs, SLF4J
   * hands other threads a stand-in factory, and a level set then would be lost.
   */
  private static void awaitLogging() {
    CountDownLatch ready = loggingReady;
    if (ready != null) {
      try {
        ready.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts, on a second thread, what every command but {@code --version}/{@code --help} needs next —
   * logging, the JSON mapper, the YAML loader and the random source — while this thread builds the
   * command line. Class initialization is safe across threads (the main thread waits for a class
   * still being initialized), so this only moves work, never changes it. Measured on 2 cores:
   * 20-70 ms off stdio start-up (medians of 12 interleaved runs, with and without).
   */
  private static void warmUp() {
    CountDownLatch logging = new CountDownLatch(1);
    loggingReady = logging;
    Thread warm = new Thread(() -> {
      try {
        org.slf4j.LoggerFactory.getILoggerFactory();
      } finally {
        logging.countDown();
      }
      dev.switchboard.jsonrpc.Json.object();
      new org.snakeyaml.engine.v2.api.lowlevel.Compose(org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).composeString("a: 1");
      new java.security.SecureRandom().nextInt();
    }, "warm-up");
    warm.setDaemon(true);
    warm.start();
  }
}
