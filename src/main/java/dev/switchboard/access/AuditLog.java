package dev.switchboard.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.AuditConfig;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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

  private final OutputStream out;
  private final boolean ownsStream;
  private final InstantSource clock;

  public AuditLog(AuditConfig config, InstantSource clock) {
    this.clock = clock;
    OutputStream stream = System.err;
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
    this.out = stream;
    this.ownsStream = owns;
  }

  public void record(Entry entry) {
    ObjectNode line = Json.object();
    line.put("time", clock.instant().toString());
    line.put("audit", "mcp");
    line.put("principal", entry.principal());
    line.put("method", entry.method());
    line.put("name", entry.name());
    if (entry.backend() != null) {
      line.put("backend", entry.backend());
    }
    line.put("outcome", entry.outcome());
    if (entry.code() != null) {
      line.put("code", entry.code());
    }
    line.put("durationMs", entry.durationMs());
    if (entry.argumentsSha256() != null) {
      line.put("argumentsSha256", entry.argumentsSha256());
    }
    byte[] bytes = (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        log.warn("audit line could not be written: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    if (ownsStream) {
      try {
        out.close();
      } catch (IOException e) {
        // closing anyway
      }
    } else if (out instanceof PrintStream print) {
      print.flush();
    }
  }
}
