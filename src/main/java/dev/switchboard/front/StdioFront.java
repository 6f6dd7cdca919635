package dev.switchboard.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Hub;
import dev.switchboard.access.Access;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.LineWriter;
import dev.switchboard.jsonrpc.LineReader;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.session.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client over newline-delimited JSON-RPC on a pair of streams (the process's stdin and
 * stdout). One bad line never ends the session. At end of input, requests still running get the
 * drain period to finish, then are cancelled.
 */
public final class StdioFront {
  private static final Logger log = LoggerFactory.getLogger(StdioFront.class);
  /** The largest message a client may send on stdin. */
  public static final int MAX_MESSAGE = 16 * 1024 * 1024;

  private final LineWriter out;
  private volatile boolean outputBroken;

  private StdioFront(OutputStream out) {
    this.out = new LineWriter(out);
  }

  /**
   * Reads until end of input, then drains and closes the session.
   *
   * <p>Messages are read by one virtual thread at a time, which hands reading on to a new one and
   * then serves the message it read itself (leader/followers): no thread hand-off lies between
   * reading a request and sending it to its backend, and a request that blocks never stops the
   * next one from being read.
   *
   * @param onOpen runs once the session is open and reading has begun (the CLI starts the backends
   *     then: spawning a process holds a carrier thread, and started first, the children's spawns
   *     kept the reader from its first line; measured 627 → 507 ms to initialize answered, medians
   *     of 12 interleaved runs on 2 cores)
   */
  public static void serve(Hub hub, Principal principal, InputStream in, OutputStream out, Duration drain, Runnable onOpen) {
    StdioFront front = new StdioFront(out);
    Session session = hub.openSession(principal, front::write);
    session.onAccessChange(Access::stdioPrincipal, null); // the one stdio client is whoever stdio.user names now
    StdioStateless stateless = new StdioStateless(hub.stateless(), session::principal, front::write);
    log.debug("stdio client connected as principal '{}'", principal.name());
    Reader reader = front.new Reader(session, stateless, new LineReader(in, MAX_MESSAGE));
    Thread.ofVirtual().name("stdio-reader").start(reader::readNext);
    onOpen.run();
    try {
      reader.ended.await(); // the life of the process: ends with stdin, or with the JVM on a signal
      long deadline = System.nanoTime() + drain.toNanos();
      reader.awaitDispatched(drain); // the last lines read may still be on their way to the session
      boolean idle = session.awaitIdle(drain);
      idle &= stateless.awaitIdle(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (!idle) {
        log.info("stdin closed; cancelling requests still running after {} ms", drain.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stateless.close();
    session.close();
  }

  /** Reads one message, starts the next reader, serves the message. */
  private final class Reader {
    final Session session;
    final StdioStateless stateless;
    final LineReader lines;
    final CountDownLatch ended = new CountDownLatch(1);
    /** Lines read and not yet handed over (each counted before the next reader starts). */
    private final java.util.concurrent.atomic.AtomicInteger dispatching = new java.util.concurrent.atomic.AtomicInteger();

    Reader(Session session, StdioStateless stateless, LineReader lines) {
      this.session = session;
      this.stateless = stateless;
      this.lines = lines;
    }

    void readNext() {
      byte[] line;
      try {
        line = lines.readLine();
      } catch (LineReader.LineTooLongException e) {
        write(JsonRpc.error(NullNode.instance, McpError.invalidRequest("message longer than " + MAX_MESSAGE + " bytes; skipped")));
        Thread.ofVirtual().name("stdio-reader").start(this::readNext);
        return;
      } catch (IOException e) {
        log.info("stdin read failed: {}", e.toString());
        line = null;
      }
      if (line == null || outputBroken) {
        ended.countDown();
        return;
      }
      dispatching.incrementAndGet();
      Thread.ofVirtual().name("stdio-reader").start(this::readNext);
      try {
        dispatch(line);
      } finally {
        synchronized (dispatching) {
          dispatching.decrementAndGet();
          dispatching.notifyAll();
        }
      }
    }

    private void dispatch(byte[] line) {
      JsonNode message;
      try {
        message = Json.parse(line, 0, line.length);
      } catch (McpError e) {
        session.receive(line); // answers the parse error
        return;
      }
      // Both eras share the stream: a request carrying its version in _meta is served on its own.
      if (!stateless.receive(message)) {
        session.receive(message);
      }
    }

    /** Waits until every line read has been handed to the session or the stateless side (which then count it). */
    void awaitDispatched(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (dispatching) {
        while (dispatching.get() > 0) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return;
          }
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(dispatching, remaining);
        }
      }
    }
  }

  /** Writes one message as a line (overlapping writers share one flush: {@link LineWriter}). */
  private void write(ObjectNode message) {
    if (outputBroken) {
      return;
    }
    try {
      out.writeLine(Json.writeBytes(message));
    } catch (IOException e) {
      if (!outputBroken) {
        outputBroken = true;
        log.info("stdout closed ({}); ending the session", e.getMessage());
      }
    }
  }
}
