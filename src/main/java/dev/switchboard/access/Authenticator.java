package dev.switchboard.access;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.UserConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Turns a bearer token into a principal. Static user tokens are compared by their SHA-256, in
 * constant time, against every user (no early exit that would tell how close a guess was). With no
 * {@code users} configured, authentication is off and every client is {@link Principal#LOCAL}.
 */
public final class Authenticator {
  private record Credential(byte[] sha256, Principal principal) {}

  private final List<Credential> credentials = new ArrayList<>();

  public Authenticator(SwitchboardConfig config) {
    for (UserConfig user : config.users().values()) {
      byte[] digest = user.tokenSha256() != null ? HexFormat.of().parseHex(user.tokenSha256()) : sha256(user.token());
      credentials.add(new Credential(digest, new Principal(user.name(), new HashSet<>(user.capabilities()), false)));
    }
  }

  /** Whether clients must present a token (some {@code users} are configured). */
  public boolean required() {
    return !credentials.isEmpty();
  }

  /**
   * The principal a token belongs to; empty for a missing, empty or unknown token. When no users
   * are configured, every client (with or without a token) is {@link Principal#LOCAL}.
   */
  public Optional<Principal> authenticate(String token) {
    if (!required()) {
      return Optional.of(Principal.LOCAL);
    }
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = sha256(token);
    Principal match = null;
    for (Credential credential : credentials) {
      if (MessageDigest.isEqual(presented, credential.sha256()) && match == null) {
        match = credential.principal();
      }
    }
    return Optional.ofNullable(match);
  }

  /** The token of an {@code Authorization: Bearer TOKEN} header value, or null. */
  public static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : null;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
