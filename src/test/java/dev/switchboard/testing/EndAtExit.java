package dev.switchboard.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends, when the test JVM exits, the servers a test started and did not stop: a hub in {@code serve}
 * mode does not end with its parent (a stdio hub does, on end of input), so a test run stopped
 * mid-way (Ctrl-C, a killed fork) used to leave it and its backends running.
 */
public final class EndAtExit {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Process process : LIVE) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }, "end-test-servers"));
  }

  private EndAtExit() {}

  /** Registers a started process; it is forgotten once it exits. */
  public static Process register(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
    return process;
  }
}
