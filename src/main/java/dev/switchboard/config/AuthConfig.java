package dev.switchboard.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Token verification beyond static user tokens, and what every client must hold ({@code auth:});
 * null when absent.
 *
 * @param jwt JWT bearer tokens, or null
 * @param requires capabilities a principal needs to use the MCP endpoints at all (/mcp, /sse, /ws);
 *     lacking one is a 403 for the whole endpoint
 */
public record AuthConfig(Jwt jwt, List<String> requires) {
  public AuthConfig {
    requires = requires == null ? List.of() : List.copyOf(requires);
  }

  /**
   * JWT bearer tokens ({@code auth.jwt}). Exactly one of jwksUrl and jwksFile is set.
   *
   * @param capabilitiesClaim the claim carrying capabilities: a space-separated string or a list ({@code scope})
   * @param algorithms accepted signature algorithms (default RS256, ES256, EdDSA)
   */
  public record Jwt(URI jwksUrl, Path jwksFile, String issuer, List<String> audience, String capabilitiesClaim,
      List<String> algorithms) {
    public Jwt {
      audience = audience == null ? List.of() : List.copyOf(audience);
      algorithms = algorithms == null || algorithms.isEmpty() ? List.of("RS256", "ES256", "EdDSA") : List.copyOf(algorithms);
      capabilitiesClaim = capabilitiesClaim == null ? "scope" : capabilitiesClaim;
    }
  }
}
