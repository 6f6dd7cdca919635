package dev.switchboard.cli;

import dev.switchboard.Hub;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.front.HttpFront;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code switchboard serve}: the HTTP and WebSocket front, until SIGINT or SIGTERM. */
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  private final Main main;

  ServeCommand(Main main) {
    this.main = main;
  }

  @Override
  public Integer call() {
    SwitchboardConfig config = ConfigSource.loadOrReport(main.config);
    if (config == null) {
      return 1;
    }
    Hub hub = Hub.create(config, System.getenv());
    HttpFront front;
    try {
      front = HttpFront.start(hub, config);
    } catch (RuntimeException e) {
      log.error("could not listen on {}: {}", config.listen(), e.getMessage());
      hub.close();
      return 1;
    }
    hub.startBackends();
    Signals.reloadOnHangUp(hub);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      front.close();
      hub.close();
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await(); // until a signal: the hook ends the front, then the hub
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
