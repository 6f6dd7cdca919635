package dev.switchboard.config;

import java.nio.file.Path;

/** Where audit lines go ({@code audit: {file: PATH}}); a null file means stderr. */
public record AuditConfig(Path file) {
  public static final AuditConfig STDERR = new AuditConfig(null);
}
