package dev.switchboard.protocol;

import java.util.List;

/**
 * The MCP revisions the hub speaks, newest first, and version negotiation. Handshake-era revisions
 * negotiate in {@code initialize}; the stateless era carries its version on every request.
 */
public final class ProtocolVersion {
  public static final String V2025_11_25 = "2025-11-25";
  public static final String V2025_06_18 = "2025-06-18";
  public static final String V2025_03_26 = "2025-03-26";
  public static final String V2024_11_05 = "2024-11-05";

  /** Handshake-era revisions, newest first. */
  public static final List<String> HANDSHAKE_ERA = List.of(V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);
  public static final String LATEST_HANDSHAKE = V2025_11_25;

  private ProtocolVersion() {}

  /** The version to answer an {@code initialize} with: the client's when supported, else the newest. */
  public static String negotiate(String requested) {
    return requested != null && HANDSHAKE_ERA.contains(requested) ? requested : LATEST_HANDSHAKE;
  }

  public static boolean isSupported(String version) {
    return HANDSHAKE_ERA.contains(version);
  }
}
