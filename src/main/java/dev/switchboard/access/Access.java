package dev.switchboard.access;

import dev.switchboard.config.AuthConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.UserConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The access rules of one config, as one immutable value the hub swaps whole on a reload: who a
 * token belongs to ({@code users}, {@code auth}), what each item requires ({@code tools},
 * {@code prompts}, {@code resources}, servers' {@code requires}), who the stdio client is
 * ({@code stdio.user}) and the admin token. Fronts read it per request, so a reload applies to the
 * next request without a restart.
 *
 * @param endpointRequires {@code auth.requires}: what every client of the network fronts must hold
 * @param issuer {@code auth.jwt.issuer}, the authorization server named in the protected-resource metadata; null = none
 * @param rotatedUsers users whose token changed in the reload that made these rules: their connected
 *     clients authenticated with a token that is no longer valid
 * @param jwtChanged whether the reload that made these rules changed {@code auth.jwt}: tokens verified
 *     under the old settings are verified again by reconnecting
 */
public record Access(Authenticator authenticator, CapabilityPolicy policy, List<String> endpointRequires,
    Principal stdioPrincipal, AdminCredential admin, String issuer, Set<String> rotatedUsers, boolean jwtChanged) {

  public Access {
    endpointRequires = List.copyOf(endpointRequires);
    rotatedUsers = Set.copyOf(rotatedUsers);
  }

  /** The rules of a config the hub starts with. */
  public static Access of(SwitchboardConfig config) {
    return of(config, Set.of(), false);
  }

  /** The rules of a reloaded config, knowing what changed since {@code before} for connected clients. */
  public static Access reloaded(SwitchboardConfig before, SwitchboardConfig after) {
    Set<String> rotated = new HashSet<>();
    after.users().forEach((name, user) -> {
      UserConfig old = before.users().get(name);
      if (old != null && !(Objects.equals(old.token(), user.token()) && Objects.equals(old.tokenSha256(), user.tokenSha256()))) {
        rotated.add(name);
      }
    });
    return of(after, rotated, !Objects.equals(jwt(before), jwt(after)));
  }

  private static Access of(SwitchboardConfig config, Set<String> rotatedUsers, boolean jwtChanged) {
    return new Access(new Authenticator(config), new CapabilityPolicy(config),
        config.auth() == null ? List.of() : config.auth().requires(), stdioPrincipal(config),
        new AdminCredential(config.admin()), jwt(config) == null ? null : jwt(config).issuer(), rotatedUsers, jwtChanged);
  }

  private static AuthConfig.Jwt jwt(SwitchboardConfig config) {
    return config.auth() == null ? null : config.auth().jwt();
  }

  /** The stdio client: {@code stdio.user}'s principal, else full access. */
  private static Principal stdioPrincipal(SwitchboardConfig config) {
    String user = config.stdio() == null ? null : config.stdio().user();
    UserConfig entry = user == null ? null : config.users().get(user);
    return entry == null ? Principal.LOCAL : new Principal(user, new HashSet<>(entry.capabilities()), false);
  }

  /**
   * A connected client's principal under these rules, after a reload; null when it may no longer
   * connect. A configured user gets the capabilities it has now (null when the user is gone or its
   * token changed); a JWT principal keeps its token's claims while the JWT settings stay as they
   * were; an unauthenticated client keeps full access only while no authentication is configured.
   */
  public Principal refresh(Principal principal) {
    return switch (principal.source()) {
      case LOCAL -> authenticator.required() ? null : principal;
      case JWT -> authenticator.jwtConfigured() && !jwtChanged ? principal : null;
      case USER -> rotatedUsers.contains(principal.name()) ? null : authenticator.user(principal.name());
    };
  }
}
