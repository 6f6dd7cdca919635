package dev.switchboard.protocol;

import java.util.List;

/**
 * The MCP revisions the hub speaks, newest first, and version negotiation. Handshake-era revisions
 * negotiate in {@code initialize}; the stateless era carries its version on every request.
 */
public final class ProtocolVersion {
  public static final String V2026_07_28 = "2026-07-28";
  public static final String V2025_11_25 = "2025-11-25";
  public static final String V2025_06_18 = "2025-06-18";
  public static final String V2025_03_26 = "2025-03-26";
  public static final String V2024_11_05 = "2024-11-05";

  /** Handshake-era revisions, newest first. */
  public static final List<String> HANDSHAKE_ERA = List.of(V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);
  public static final String LATEST_HANDSHAKE = V2025_11_25;
  /** Stateless-era revisions (version, client info and capabilities on every request), newest first. */
  public static final List<String> STATELESS_ERA = List.of(V2026_07_28);
  public static final String LATEST_STATELESS = V2026_07_28;
  /** Every revision the hub speaks, newest first: what {@code server/discover} announces. */
  public static final List<String> ALL = List.of(V2026_07_28, V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);

  private ProtocolVersion() {}

  /** The version to answer an {@code initialize} with: the client's when supported, else the newest. */
  public static String negotiate(String requested) {
    return requested != null && HANDSHAKE_ERA.contains(requested) ? requested : LATEST_HANDSHAKE;
  }

  /** Whether a handshake-era revision is spoken (the stateless era is checked with {@link #isStateless}). */
  public static boolean isSupported(String version) {
    return HANDSHAKE_ERA.contains(version);
  }

  /** Whether a revision of the stateless era is spoken. */
  public static boolean isStateless(String version) {
    return STATELESS_ERA.contains(version);
  }
}
