package dev.switchboard.backend;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of the hub: fires request deadlines. A task must be short (it checks a deadline and
 * fails or re-arms one request); it runs on the daemon thread {@code switchboard-deadlines}.
 */
final class Deadlines {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private Deadlines() {}

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
        r -> Thread.ofPlatform().daemon().name("switchboard-deadlines").unstarted(r));
    timer.setRemoveOnCancelPolicy(true); // cancelled deadlines (most of them) do not pile up
    return timer;
  }

  static ScheduledFuture<?> at(long nanoTime, Runnable task) {
    return TIMER.schedule(task, Math.max(0, nanoTime - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
