package dev.switchboard.jsonrpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads Server-Sent Events from a stream as the HTML spec defines them: {@code field: value} lines,
 * an event ends at a blank line, multi-line data is joined with newlines, comments ({@code :…}) are
 * skipped. Not thread-safe.
 */
public final class SseReader {
  /** One event; {@code event} defaults to "message", {@code id} is null when the event set none. */
  public record Event(String id, String event, String data, Long retryMillis) {}

  private final LineReaderKeepingBlanks lines;
  private String lastEventId;

  public SseReader(InputStream in, int maxLine) {
    this.lines = new LineReaderKeepingBlanks(in, maxLine);
  }

  /** The id of the last event that carried one: what a reconnect sends as Last-Event-ID. */
  public String lastEventId() {
    return lastEventId;
  }

  /** The next event, or null at end of stream (an unfinished event at the end is dropped, per spec). */
  public Event next() throws IOException {
    StringBuilder data = null;
    String event = null;
    String id = null;
    Long retry = null;
    boolean any = false;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (!any) {
          continue;
        }
        if (id != null) {
          lastEventId = id;
        }
        return new Event(id, event == null ? "message" : event, data == null ? "" : data.toString(), retry);
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> {
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          any = true;
        }
        case "event" -> {
          event = value;
          any = true;
        }
        case "id" -> {
          if (value.indexOf('\0') < 0) {
            id = value;
            any = true;
          }
        }
        case "retry" -> {
          try {
            retry = Long.parseLong(value.trim());
            any = true;
          } catch (NumberFormatException e) {
            // ignored, per spec
          }
        }
        default -> { /* unknown fields are ignored */ }
      }
    }
    return null;
  }

  /** Line splitting for SSE: \n, \r\n or \r end a line; blank lines are kept (they end events). */
  private static final class LineReaderKeepingBlanks {
    private final InputStream in;
    private final int maxLine;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private boolean skipLf;

    LineReaderKeepingBlanks(InputStream in, int maxLine) {
      this.in = in;
      this.maxLine = maxLine;
    }

    String readLine() throws IOException {
      java.io.ByteArrayOutputStream out = null;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer, 0, buffer.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return out == null ? null : out.toString(StandardCharsets.UTF_8);
          }
        }
        if (skipLf) {
          skipLf = false;
          if (buffer[position] == '\n') {
            position++;
            continue;
          }
        }
        int start = position;
        while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
          position++;
        }
        if (out == null) {
          out = new java.io.ByteArrayOutputStream(Math.max(64, position - start));
        }
        out.write(buffer, start, position - start);
        if (out.size() > maxLine) {
          throw new IOException("SSE line longer than " + maxLine + " bytes");
        }
        if (position < limit) {
          skipLf = buffer[position] == '\r';
          position++;
          return out.toString(StandardCharsets.UTF_8);
        }
      }
    }
  }
}
