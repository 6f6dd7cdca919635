package dev.switchboard.access;

import dev.switchboard.config.AuthConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.UserConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a bearer token into a principal: a static user token (compared by SHA-256, in constant
 * time, against every user: no early exit tells how close a guess was), else a JWT when
 * {@code auth.jwt} is configured. With neither configured, authentication is off and every client
 * is {@link Principal#LOCAL}. Failure messages are safe to send to the client; tokens never appear.
 */
public final class Authenticator {
  /** The outcome: a principal, or why there is none. */
  public record Result(Principal principal, String failure) {
    public boolean ok() {
      return principal != null;
    }
  }

  private record Credential(byte[] sha256, Principal principal) {}

  private final List<Credential> credentials = new ArrayList<>();
  private final JwtVerifier jwt;

  public Authenticator(SwitchboardConfig config) {
    this(config, InstantSource.system());
  }

  public Authenticator(SwitchboardConfig config, InstantSource clock) {
    for (UserConfig user : config.users().values()) {
      byte[] digest = user.tokenSha256() != null ? HexFormat.of().parseHex(user.tokenSha256()) : sha256(user.token());
      credentials.add(new Credential(digest, new Principal(user.name(), new HashSet<>(user.capabilities()), false)));
    }
    AuthConfig.Jwt jwtConfig = config.auth() == null ? null : config.auth().jwt();
    this.jwt = jwtConfig == null ? null : new JwtVerifier(jwtConfig, new JwksSource(jwtConfig, clock), clock);
  }

  /** Whether clients must present a token (users or JWT are configured). */
  public boolean required() {
    return !credentials.isEmpty() || jwt != null;
  }

  public boolean jwtConfigured() {
    return jwt != null;
  }

  /** The principal of the configured user with this name, or null when there is none. */
  public Principal user(String name) {
    for (Credential credential : credentials) {
      if (credential.principal().name().equals(name)) {
        return credential.principal();
      }
    }
    return null;
  }

  public Result authenticate(String token) {
    if (!required()) {
      return new Result(Principal.LOCAL, null);
    }
    if (token == null || token.isEmpty()) {
      return new Result(null, "a bearer token is required");
    }
    byte[] presented = sha256(token);
    Principal match = null;
    for (Credential credential : credentials) {
      if (MessageDigest.isEqual(presented, credential.sha256()) && match == null) {
        match = credential.principal();
      }
    }
    if (match != null) {
      return new Result(match, null);
    }
    if (jwt != null && JwtVerifier.looksLikeJwt(token)) {
      try {
        return new Result(jwt.verify(token), null);
      } catch (JwtVerifier.Refused e) {
        return new Result(null, e.getMessage());
      }
    }
    return new Result(null, "the token is not valid");
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
