package dev.switchboard.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Token verification beyond static user tokens ({@code auth:}); null when absent. */
public record AuthConfig(Jwt jwt) {
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
