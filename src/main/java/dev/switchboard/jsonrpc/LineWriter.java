package dev.switchboard.jsonrpc;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes whole lines to a buffered stream from many threads (the stdio front's messages, the audit
 * log). Writers that overlap share one flush (one system call): each counts itself in before taking
 * the lock, and the last one out flushes, so a line never waits for a writer that has not arrived,
 * and a lone line is flushed at once.
 */
public final class LineWriter {
  private final OutputStream out;
  private final AtomicInteger writers = new AtomicInteger();

  /** @param out a buffered stream: lines are flushed here, not by it */
  public LineWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes {@code bytes} and a newline; flushed at once or by an overlapping writer right after. */
  public void writeLine(byte[] bytes) throws IOException {
    writers.incrementAndGet();
    synchronized (this) {
      boolean last = writers.decrementAndGet() == 0;
      out.write(bytes);
      out.write('\n');
      if (last) {
        out.flush();
      }
    }
  }

  public synchronized void flush() throws IOException {
    out.flush();
  }

  public synchronized void close() throws IOException {
    out.close();
  }
}
