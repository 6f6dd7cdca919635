package dev.switchboard.backend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Probes every backend that is up with a ping, every {@code hub.health_interval}, all in parallel:
 * health is what a backend answers, not whether its process is alive. A backend that misses
 * several probes in a row is restarted (see {@link Backend#probe}).
 */
public final class HealthMonitor implements AutoCloseable {
  private final Collection<Backend> backends;
  private final Duration interval;
  private final CountDownLatch stop = new CountDownLatch(1);
  private Thread loop;

  public HealthMonitor(Collection<Backend> backends, Duration interval) {
    this.backends = List.copyOf(backends);
    this.interval = interval;
  }

  public void start() {
    loop = Thread.ofVirtual().name("health-monitor").start(this::run);
  }

  private void run() {
    Duration wait = interval.compareTo(Duration.ofSeconds(5)) < 0 ? interval : Duration.ofSeconds(5);
    try {
      while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
        List<Thread> probes = new ArrayList<>();
        for (Backend backend : backends) {
          if (backend.status() == BackendStatus.UP) {
            probes.add(Thread.ofVirtual().name("probe-" + backend.name()).start(() -> backend.probe(wait)));
          }
        }
        for (Thread probe : probes) {
          probe.join(wait.plusSeconds(1));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop.countDown();
    if (loop != null) {
      loop.interrupt();
    }
  }
}
