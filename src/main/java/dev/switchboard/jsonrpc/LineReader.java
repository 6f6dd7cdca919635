package dev.switchboard.jsonrpc;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-delimited messages from a stream (stdio framing), with a bound on line length so a
 * peer that never sends a newline cannot exhaust memory. Not thread-safe: one reader per stream.
 */
public final class LineReader {
  /** Thrown for a line longer than the bound; the rest of that line is skipped, reading can go on. */
  public static final class LineTooLongException extends IOException {
    public LineTooLongException(long max) {
      super("line longer than " + max + " bytes");
    }
  }

  private final InputStream in;
  private final int maxLine;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private byte[] line = new byte[8 * 1024];

  public LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /**
   * The next line without its terminator ({@code \n} or {@code \r\n}), or null at end of stream. A
   * last line without a newline is returned too. Blank lines are skipped.
   */
  public byte[] readLine() throws IOException {
    int length = 0;
    boolean tooLong = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          if (tooLong) {
            throw new LineTooLongException(maxLine);
          }
          return length == 0 ? null : trimmed(length);
        }
      }
      int start = position;
      int newline = -1;
      for (int i = position; i < limit; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? limit : newline;
      int chunk = end - start;
      if (!tooLong) {
        if ((long) length + chunk > maxLine) {
          tooLong = true;
        } else {
          if (length + chunk > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLine, Math.max(line.length * 2, length + chunk)));
          }
          System.arraycopy(buffer, start, line, length, chunk);
          length += chunk;
        }
      }
      position = newline < 0 ? limit : newline + 1;
      if (newline >= 0) {
        if (tooLong) {
          throw new LineTooLongException(maxLine);
        }
        byte[] result = trimmed(length);
        if (result.length > 0) {
          return result;
        }
        length = 0;
      }
    }
  }

  private byte[] trimmed(int length) {
    while (length > 0 && (line[length - 1] == '\r' || line[length - 1] == ' ' || line[length - 1] == '\t')) {
      length--;
    }
    return Arrays.copyOf(line, length);
  }
}
