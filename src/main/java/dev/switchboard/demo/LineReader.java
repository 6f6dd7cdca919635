package dev.switchboard.demo;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-delimited messages with a size bound, so one huge or endless line cannot exhaust
 * memory: the rest of an oversized line is skipped and reported as {@link Line#oversized()}.
 */
final class LineReader {
  /** One line without its terminator ({@code \n} or {@code \r\n}); bytes is empty when oversized. */
  record Line(byte[] bytes, int length, boolean oversized) {}

  private final InputStream in;
  private final int maxBytes;
  private final byte[] chunk = new byte[64 * 1024];
  private int chunkPos;
  private int chunkEnd;

  LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line, or null at end of input (a last line without newline is still returned). */
  Line next() throws IOException {
    byte[] buf = new byte[256];
    int len = 0;
    boolean oversized = false;
    boolean sawAny = false;
    while (true) {
      if (chunkPos == chunkEnd) {
        int n = in.read(chunk);
        if (n < 0) {
          return sawAny ? finish(buf, len, oversized) : null;
        }
        chunkPos = 0;
        chunkEnd = n;
        continue;
      }
      sawAny = true;
      byte b = chunk[chunkPos++];
      if (b == '\n') {
        return finish(buf, len, oversized);
      }
      if (oversized) {
        continue;
      }
      if (len == maxBytes) {
        oversized = true;
        buf = new byte[0];
        len = 0;
        continue;
      }
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, Math.min(maxBytes, buf.length * 2));
      }
      buf[len++] = b;
    }
  }

  private static Line finish(byte[] buf, int len, boolean oversized) {
    if (!oversized && len > 0 && buf[len - 1] == '\r') {
      len--;
    }
    return new Line(buf, len, oversized);
  }
}
