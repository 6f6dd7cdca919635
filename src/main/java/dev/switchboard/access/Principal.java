package dev.switchboard.access;

import java.time.Instant;
import java.util.Set;

/**
 * Who a client is and what it may use.
 *
 * @param name the user name from config or the JWT subject; "local" for an unconfigured stdio client
 * @param capabilities what the principal holds
 * @param unrestricted true when no policy applies (stdio without {@code stdio.user}, or a hub without users)
 * @param source where the identity came from, which decides how a config reload re-checks it
 * @param expiresAt when the credential stops being valid (a JWT's {@code exp} plus the allowed clock
 *     skew): connections that outlive it are ended then; null = never
 */
public record Principal(String name, Set<String> capabilities, boolean unrestricted, Source source, Instant expiresAt) {
  /** Where an identity came from. */
  public enum Source {
    /** No authentication configured: full access. */
    LOCAL,
    /** A {@code users} entry of the config (its token, or {@code stdio.user}). */
    USER,
    /** A verified JWT: its subject and capability claim. */
    JWT
  }

  /** The principal of a client when access control is not configured. */
  public static final Principal LOCAL = new Principal("local", Set.of(), true, Source.LOCAL, null);

  public Principal {
    capabilities = Set.copyOf(capabilities);
  }

  /** A configured user's principal (or {@link Source#LOCAL} when {@code unrestricted}). */
  public Principal(String name, Set<String> capabilities, boolean unrestricted) {
    this(name, capabilities, unrestricted, unrestricted ? Source.LOCAL : Source.USER, null);
  }
}
