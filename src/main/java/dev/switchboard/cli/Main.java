package dev.switchboard.cli;

import dev.switchboard.protocol.Version;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code switchboard} command line. Exit codes: 0 ok, 1 check found problems or the hub failed, 2 usage. */
@Command(name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "An MCP hub: one endpoint in front of many MCP servers.",
    subcommands = {ServeCommand.class, StdioCommand.class, CheckCommand.class, DemoServerCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Config file (default: ./switchboard.yaml if present, else the built-in demo config).")
  Path config;

  @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
      description = "trace, debug, info (default), warn, error or off. Logs go to stderr.")
  void logLevel(String level) {
    LogConfigurator.setLevel(level);
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this without exiting). */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setErr(new PrintWriter(System.err, true));
    commandLine.setOut(new PrintWriter(System.out, true));
    return commandLine.execute(args);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"switchboard " + Version.current() + " (Java " + Runtime.version() + ")"};
    }
  }
}
