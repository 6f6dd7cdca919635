package dev.switchboard.backend;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a process and all its descendants: a grace period for it to exit by itself (its stdin was
 * closed), then SIGTERM to the whole tree, another grace period, then SIGKILL to whatever is left.
 * Descendants are collected before each step, because a child that dies orphans its own children.
 */
final class ProcessTree {
  private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

  private ProcessTree() {}

  static void end(String name, ProcessHandle root, Set<ProcessHandle> known, Duration grace) {
    Set<ProcessHandle> all = new LinkedHashSet<>(known);
    collect(root, all);
    if (waitAll(root, all, grace)) {
      return;
    }
    collect(root, all);
    log.info("backend={} pid={} still running after {} ms; sending SIGTERM to {} process(es)",
        name, root.pid(), grace.toMillis(), alive(root, all));
    root.destroy();
    all.forEach(ProcessHandle::destroy);
    if (waitAll(root, all, grace)) {
      return;
    }
    collect(root, all);
    log.warn("backend={} pid={} ignored SIGTERM; sending SIGKILL to {} process(es)", name, root.pid(), alive(root, all));
    root.destroyForcibly();
    all.forEach(ProcessHandle::destroyForcibly);
    waitAll(root, all, Duration.ofSeconds(5));
  }

  private static void collect(ProcessHandle root, Set<ProcessHandle> into) {
    if (root.isAlive()) {
      root.descendants().forEach(into::add);
    }
    for (ProcessHandle known : Set.copyOf(into)) {
      if (known.isAlive()) {
        known.descendants().forEach(into::add);
      }
    }
  }

  private static long alive(ProcessHandle root, Set<ProcessHandle> all) {
    return (root.isAlive() ? 1 : 0) + all.stream().filter(ProcessHandle::isAlive).count();
  }

  /** Waits until the root and every known descendant have exited; false at the deadline. */
  private static boolean waitAll(ProcessHandle root, Set<ProcessHandle> all, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<ProcessHandle> handles = new LinkedHashSet<>(all);
    handles.add(root);
    for (ProcessHandle handle : handles) {
      long remaining = deadline - System.nanoTime();
      if (!handle.isAlive()) {
        continue;
      }
      if (remaining <= 0) {
        return false;
      }
      CompletableFuture<ProcessHandle> exit = handle.onExit();
      try {
        exit.get(remaining, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        // cannot wait on it; check liveness below
      }
    }
    return handles.stream().noneMatch(ProcessHandle::isAlive);
  }
}
