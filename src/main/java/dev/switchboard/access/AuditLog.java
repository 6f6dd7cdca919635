package dev.switchboard.access;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.config.AuditConfig;
import dev.switchboard.jsonrpc.LineWriter;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one JSON line per tools/call, prompts/get and resources/read, and per denied
 * attempt — time, principal, method, exposed name or URI, backend, outcome, duration and a SHA-256
 * of the canonical arguments. Never the arguments themselves, never a token. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  /** One audited request. */
  public record Entry(String principal, String method, String name, String backend, String outcome, Integer code,
      long durationMs, String argumentsSha256) {}

  private final LineWriter out;
  private final boolean ownsStream;
  private final InstantSource clock;

  public AuditLog(AuditConfig config, InstantSource clock) {
    this.clock = clock;
    // Our own buffer over file descriptor 2 (System.err flushes on every write): overlapping
    // writers then share one flush (LineWriter).
    OutputStream stream = new FileOutputStream(FileDescriptor.err);
    boolean owns = false;
    if (config.file() != null) {
      try {
        if (config.file().getParent() != null) {
          Files.createDirectories(config.file().getParent());
        }
        stream = Files.newOutputStream(config.file(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        owns = true;
      } catch (IOException e) {
        log.error("cannot open the audit file {} ({}); auditing to stderr instead", config.file(), e.getMessage());
      }
    }
    this.out = new LineWriter(new BufferedOutputStream(stream, 64 * 1024));
    this.ownsStream = owns;
  }

  public void record(Entry entry) {
    // Written by hand, not through a JSON tree and generator: this runs once per audited call.
    StringBuilder line = new StringBuilder(256);
    line.append("{\"time\":\"").append(clock.instant()).append("\",\"audit\":\"mcp\"");
    field(line, "principal", entry.principal());
    field(line, "method", entry.method());
    field(line, "name", entry.name());
    if (entry.backend() != null) {
      field(line, "backend", entry.backend());
    }
    field(line, "outcome", entry.outcome());
    if (entry.code() != null) {
      line.append(",\"code\":").append(entry.code().intValue());
    }
    line.append(",\"durationMs\":").append(entry.durationMs());
    if (entry.argumentsSha256() != null) {
      field(line, "argumentsSha256", entry.argumentsSha256());
    }
    byte[] bytes = line.append('}').toString().getBytes(StandardCharsets.UTF_8);
    try {
      out.writeLine(bytes);
    } catch (IOException e) {
      log.warn("audit line could not be written: {}", e.getMessage());
    }
  }

  /** Appends {@code ,"key":"value"} with JSON escaping (null as JSON null). */
  private static void field(StringBuilder line, String key, String value) {
    line.append(",\"").append(key).append("\":");
    if (value == null) {
      line.append("null");
    } else {
      line.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
    }
  }

  @Override
  public void close() {
    try {
      if (ownsStream) {
        out.close();
      } else {
        out.flush(); // stderr stays open for the logs
      }
    } catch (IOException e) {
      // closing anyway
    }
  }
}
