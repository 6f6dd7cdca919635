package dev.switchboard.front;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bounded queue drained in order by at most one virtual thread, started only while there is
 * work: an idle connection holds no thread. {@link #offer} never blocks; it refuses when the bound
 * is reached (the owner decides what a full mailbox means).
 */
final class Mailbox<T> {
  private final Queue<T> items = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final int capacity;
  private final String threadName;
  private final Consumer<T> consumer;

  Mailbox(int capacity, String threadName, Consumer<T> consumer) {
    this.capacity = capacity;
    this.threadName = threadName;
    this.consumer = consumer;
  }

  /** Queues an item; false when the mailbox is full. */
  boolean offer(T item) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return false;
    }
    items.add(item);
    if (draining.compareAndSet(false, true)) {
      Thread.ofVirtual().name(threadName).start(this::drain);
    }
    return true;
  }

  void clear() {
    while (items.poll() != null) {
      size.decrementAndGet();
    }
  }

  private void drain() {
    while (true) {
      T next;
      while ((next = items.poll()) != null) {
        size.decrementAndGet();
        consumer.accept(next);
      }
      draining.set(false);
      // An item offered after the last poll but before the flag dropped would be stranded: look again.
      if (items.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
