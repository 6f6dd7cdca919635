package dev.switchboard.backend;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer of the hub: fires request deadlines. A task must be short (it checks a deadline and
 * fails or re-arms one request); it runs on the daemon thread {@code switchboard-deadlines}.
 *
 * <p>Built for deadlines that are armed and cancelled once per call and almost never fire. Arming
 * does not wake the timer thread unless the new deadline is earlier than the thread already means
 * to wake (at the latest {@link #IDLE_WAKE} from its last look): a {@code ScheduledThreadPoolExecutor}
 * woke its thread for every call once the previous deadline was cancelled (measured: 18 µs of CPU
 * and one thread wake-up per relayed call). The price is at most one wake-up per second when idle.
 */
final class Deadlines {
  private static final Logger log = LoggerFactory.getLogger(Deadlines.class);
  static final long IDLE_WAKE = TimeUnit.SECONDS.toNanos(1);

  private static final ConcurrentSkipListMap<Deadline, Boolean> ARMED = new ConcurrentSkipListMap<>();
  private static final AtomicLong SEQUENCE = new AtomicLong();
  /** When the timer thread will look next (System.nanoTime); it may look earlier, never later. */
  private static volatile long nextLook = Long.MIN_VALUE;
  private static final Thread THREAD = Thread.ofPlatform().daemon().name("switchboard-deadlines").start(Deadlines::run);

  private Deadlines() {}

  /** A task armed to run at a time; cancel it once it is no longer needed. */
  static final class Deadline implements Comparable<Deadline> {
    final long at;
    final long sequence = SEQUENCE.incrementAndGet();
    final Runnable task;

    private Deadline(long at, Runnable task) {
      this.at = at;
      this.task = task;
    }

    /** Forgets the task if it has not run yet. */
    void cancel() {
      ARMED.remove(this);
    }

    @Override
    public int compareTo(Deadline other) {
      int byTime = Long.compare(at - other.at, 0); // nanoTime values compare by difference
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  /** Runs {@code task} on the timer thread at {@code nanoTime} (a System.nanoTime value), or soon after. */
  static Deadline at(long nanoTime, Runnable task) {
    Deadline deadline = new Deadline(nanoTime, task);
    ARMED.put(deadline, Boolean.TRUE);
    if (nanoTime - nextLook < 0) {
      LockSupport.unpark(THREAD); // earlier than the thread means to look
    }
    return deadline;
  }

  private static void run() {
    while (true) {
      long now = System.nanoTime();
      Deadline first;
      while ((first = firstOrNull()) != null && first.at - now <= 0) {
        if (ARMED.remove(first) != null) {
          try {
            first.task.run();
          } catch (RuntimeException e) {
            log.warn("a deadline task failed", e);
          }
        }
      }
      long look = now + IDLE_WAKE;
      if (first != null && first.at - look < 0) {
        look = first.at;
      }
      nextLook = look;
      // Armed between the look above and the publication of nextLook: not woken for, so look again.
      Deadline check = firstOrNull();
      if (check != null && check.at - look < 0) {
        continue;
      }
      LockSupport.parkNanos(look - System.nanoTime());
    }
  }

  private static Deadline firstOrNull() {
    Map.Entry<Deadline, Boolean> first = ARMED.firstEntry();
    return first == null ? null : first.getKey();
  }
}
