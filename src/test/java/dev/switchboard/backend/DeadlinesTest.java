package dev.switchboard.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private static long in(Duration delay) {
    return System.nanoTime() + delay.toNanos();
  }

  @Test
  void anEarlierDeadlineArmedAfterALaterOneStillFiresOnTime() throws Exception {
    CountDownLatch later = new CountDownLatch(1);
    CountDownLatch earlier = new CountDownLatch(1);
    Deadlines.Deadline far = Deadlines.at(in(Duration.ofMinutes(5)), later::countDown);
    long armed = System.nanoTime();
    Deadlines.at(in(Duration.ofMillis(20)), earlier::countDown);
    try {
      assertThat(earlier.await(5, TimeUnit.SECONDS)).as("the 20 ms deadline fired").isTrue();
      assertThat(System.nanoTime() - armed).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
      assertThat(later.getCount()).isEqualTo(1);
    } finally {
      far.cancel();
    }
  }

  @Test
  void aCancelledDeadlineNeverRunsAndTheOthersRunInOrder() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch last = new CountDownLatch(1);
    long base = in(Duration.ofMillis(50));
    Deadlines.at(base + 2_000_000, () -> ran.add("b"));
    Deadlines.Deadline cancelled = Deadlines.at(base + 1_000_000, () -> ran.add("cancelled"));
    Deadlines.at(base, () -> ran.add("a"));
    Deadlines.at(base + 3_000_000, () -> {
      ran.add("c");
      last.countDown();
    });
    cancelled.cancel();
    assertThat(last.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void aFailingTaskDoesNotStopTheTimer() throws Exception {
    CountDownLatch after = new CountDownLatch(1);
    long base = in(Duration.ofMillis(10));
    Deadlines.at(base, () -> {
      throw new IllegalStateException("boom");
    });
    Deadlines.at(base + 1_000_000, after::countDown);
    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
