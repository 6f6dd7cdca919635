package dev.switchboard.access;

import dev.switchboard.config.AdminConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The admin API's token ({@code admin: {token: ...}} or {@code {token_sha256: ...}}). A presented
 * token is hashed and compared with the configured SHA-256 in constant time; the token itself is
 * never kept when only its hash is configured, and never logged.
 */
public final class AdminCredential {
  /** What a presented token is. */
  public enum Verdict { VALID, MISSING, INVALID, NOT_CONFIGURED }

  private final byte[] sha256;

  /** @param config the {@code admin} section, or null when absent (the admin API is then off) */
  public AdminCredential(AdminConfig config) {
    if (config == null || (config.token() == null && config.tokenSha256() == null)) {
      this.sha256 = null;
    } else {
      this.sha256 = config.tokenSha256() != null ? HexFormat.of().parseHex(config.tokenSha256()) : sha256(config.token());
    }
  }

  public boolean configured() {
    return sha256 != null;
  }

  /** Checks the token of an {@code Authorization: Bearer} header value (null when absent). */
  public Verdict check(String authorization) {
    if (sha256 == null) {
      return Verdict.NOT_CONFIGURED;
    }
    String token = Authenticator.bearer(authorization);
    if (token == null || token.isEmpty()) {
      return Verdict.MISSING;
    }
    return MessageDigest.isEqual(sha256(token), sha256) ? Verdict.VALID : Verdict.INVALID;
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
