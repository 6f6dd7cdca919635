package dev.switchboard.config;

import java.util.List;

/**
 * A principal with a static token ({@code users.NAME}). Exactly one of the two token forms is set.
 *
 * @param tokenSha256 lower-case hex SHA-256 of the token ({@code token_sha256}), or null
 * @param token the token itself, usually {@code ${ENV}} ({@code token}), or null; a secret
 * @param capabilities what this principal may use
 */
public record UserConfig(String name, String tokenSha256, String token, List<String> capabilities) {
  public UserConfig {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
  }

  @Override
  public String toString() {
    return "UserConfig[" + name + " capabilities=" + capabilities + "]";
  }
}
