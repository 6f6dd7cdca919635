package dev.switchboard.access;

import java.util.Set;

/**
 * Who a client is and what it may use.
 *
 * @param name the user name from config or the JWT subject; "local" for an unconfigured stdio client
 * @param capabilities what the principal holds
 * @param unrestricted true when no policy applies (stdio without {@code stdio.user}, or a hub without users)
 */
public record Principal(String name, Set<String> capabilities, boolean unrestricted) {
  /** The principal of a client when access control is not configured. */
  public static final Principal LOCAL = new Principal("local", Set.of(), true);

  public Principal {
    capabilities = Set.copyOf(capabilities);
  }
}
