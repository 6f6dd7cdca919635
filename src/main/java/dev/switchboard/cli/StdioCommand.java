package dev.switchboard.cli;

import dev.switchboard.Hub;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.front.StdioFront;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code switchboard stdio}: serves one client on stdin/stdout until stdin ends or a signal arrives. */
final class StdioCommand implements Callable<Integer> {
  private final Main main;

  StdioCommand(Main main) {
    this.main = main;
  }

  @Override
  public Integer call() {
    // stdout is the protocol: keep the real one for messages, send any stray print to stderr.
    OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    SwitchboardConfig config = ConfigSource.loadOrReport(main.config);
    if (config == null) {
      return 1;
    }
    Hub hub = Hub.create(config, System.getenv());
    Thread hook = new Thread(hub::close, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.reloadOnHangUp(hub);
    StdioFront.serve(hub, hub.access().stdioPrincipal(), new FileInputStream(FileDescriptor.in), protocolOut,
        config.hub().shutdownGrace(), hub::startBackends);
    hub.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    return 0;
  }
}
