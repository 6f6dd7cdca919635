package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.LineReader;
import dev.switchboard.jsonrpc.McpError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend child process speaking newline-delimited JSON-RPC on stdin/stdout. One reader thread
 * delivers stdout lines, one drains stderr line by line to the {@code backend.NAME} logger (keeping
 * a short tail for error messages), writes are serialized by a lock. {@link #close} ends the whole
 * process tree: stdin closed, grace, SIGTERM, grace, SIGKILL.
 */
final class StdioTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);
  private static final int MAX_LINE = 64 * 1024 * 1024;
  private static final int STDERR_TAIL_LINES = 10;

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path cwd;
  private final Duration grace;
  private final Logger stderrLog;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Set<ProcessHandle> tree = new LinkedHashSet<>();
  private Process process;
  private OutputStream stdin;
  private Thread stderrThread;
  private volatile boolean closing;

  StdioTransport(String name, List<String> command, Map<String, String> env, Path cwd, Duration grace) {
    this.name = name;
    this.command = command;
    this.env = env;
    this.cwd = cwd;
    this.grace = grace;
    this.stderrLog = LoggerFactory.getLogger("backend." + name);
  }

  @Override
  public void start(Listener listener) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear(); // only what ChildEnvironment chose: the hub's own may hold secrets
    builder.environment().putAll(env);
    if (cwd != null) {
      builder.directory(cwd.toFile());
    }
    try {
      process = builder.start();
    } catch (IOException e) {
      // The message names the program, never the environment.
      throw new IOException("could not start '" + command.get(0) + "': " + rootMessage(e), e);
    }
    stdin = process.getOutputStream();
    log.info("backend={} started pid={}", name, process.pid());
    stderrThread = Thread.ofPlatform().daemon().name("backend-" + name + "-stderr").start(this::drainStderr);
    Thread.ofPlatform().daemon().name("backend-" + name + "-reader").start(() -> readStdout(listener));
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  @Override
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  private void readStdout(Listener listener) {
    LineReader reader = new LineReader(process.getInputStream(), MAX_LINE);
    try {
      byte[] line;
      while ((line = reader.readLine()) != null) {
        deliver(listener, line);
      }
    } catch (LineReader.LineTooLongException e) {
      log.warn("backend={} wrote a line longer than {} bytes; ending the connection", name, MAX_LINE);
    } catch (IOException e) {
      if (!closing) {
        log.debug("backend={} stdout read failed: {}", name, e.toString());
      }
    }
    listener.onClosed(exitDescription());
  }

  private void deliver(Listener listener, byte[] line) {
    JsonNode message;
    try {
      message = Json.parse(line, 0, line.length);
    } catch (McpError e) {
      log.warn("backend={} wrote a line that is not JSON (ignored): {}", name, Snippet.of(line));
      return;
    }
    if (message instanceof ObjectNode object) {
      listener.onMessage(object, null);
    } else {
      log.warn("backend={} wrote JSON that is not a JSON-RPC object (ignored): {}", name, Snippet.of(line));
    }
  }

  /** "exited (code 1); stderr: …" — waits briefly for the exit code after stdout closed. */
  private String exitDescription() {
    String state;
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        state = "exited (code " + process.exitValue() + ")";
      } else {
        state = "closed its stdout (process still running)";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state = "closed its stdout";
    }
    try {
      // Let the stderr drain catch up so the tail holds the last words.
      stderrThread.join(Duration.ofMillis(500));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String tail = stderrTail();
    return tail.isEmpty() ? state : state + "; stderr: " + tail;
  }

  private void drainStderr() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String text = line.length() > 2000 ? line.substring(0, 2000) + "…" : line;
        stderrLog.info("{}", text);
        synchronized (stderrTail) {
          stderrTail.addLast(text);
          while (stderrTail.size() > STDERR_TAIL_LINES) {
            stderrTail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process is gone; nothing more to drain
    }
  }

  private String stderrTail() {
    synchronized (stderrTail) {
      String joined = String.join(" | ", stderrTail);
      return joined.length() > 500 ? "…" + joined.substring(joined.length() - 500) : joined;
    }
  }

  @Override
  public void send(ObjectNode message) throws IOException {
    byte[] bytes = Json.writeBytes(message);
    writeLock.lock();
    try {
      if (closing || !process.isAlive()) {
        throw new IOException("the process is not running");
      }
      stdin.write(bytes);
      stdin.write('\n');
      stdin.flush();
    } finally {
      writeLock.unlock();
    }
  }

  /** Remembers the process's descendants now, so they can be ended even after the process itself is gone. */
  void recordDescendants() {
    if (process != null) {
      synchronized (tree) {
        process.descendants().forEach(tree::add);
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    if (process == null) {
      return;
    }
    recordDescendants();
    writeLock.lock();
    try {
      stdin.close();
    } catch (IOException e) {
      // already closed
    } finally {
      writeLock.unlock();
    }
    ProcessTree.end(name, process.toHandle(), snapshotTree(), grace);
  }

  private Set<ProcessHandle> snapshotTree() {
    synchronized (tree) {
      return new LinkedHashSet<>(tree);
    }
  }
}
