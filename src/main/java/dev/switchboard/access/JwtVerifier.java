package dev.switchboard.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.config.AuthConfig;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies JWT bearer tokens (nimbus-jose-jwt): the signature with a key from the JWKS (RS*, PS*,
 * ES*, EdDSA — never {@code none}, never HMAC, which would let a public key sign), the issuer, the
 * audience, expiry and not-before with a small clock skew. Capabilities come from one claim: a
 * space-separated string (OAuth {@code scope}) or a list. Thread-safe.
 */
final class JwtVerifier {
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow. */
  private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  /** Why a token was refused; the message is safe to show the client. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final AuthConfig.Jwt config;
  private final JwksSource keys;
  private final InstantSource clock;
  private final Set<String> algorithms;

  JwtVerifier(AuthConfig.Jwt config, JwksSource keys, InstantSource clock) {
    this.config = config;
    this.keys = keys;
    this.clock = clock;
    this.algorithms = new HashSet<>(config.algorithms());
  }

  /** Whether a token is shaped like a JWS (three base64url parts). */
  static boolean looksLikeJwt(String token) {
    return token.chars().filter(c -> c == '.').count() == 2;
  }

  Principal verify(String token) throws Refused {
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new Refused("the token is not a valid JWT");
    }
    if (parsed instanceof PlainJWT) {
      throw new Refused("unsigned tokens (alg none) are refused");
    }
    if (!(parsed instanceof SignedJWT jws)) {
      throw new Refused("encrypted tokens are not accepted");
    }
    JWSHeader header = jws.getHeader();
    String alg = header.getAlgorithm().getName();
    if (JWSAlgorithm.Family.HMAC_SHA.contains(header.getAlgorithm())) {
      throw new Refused("algorithm " + alg + " is refused: only public-key signatures are accepted");
    }
    if (!algorithms.contains(alg)) {
      throw new Refused("algorithm " + alg + " is not accepted (accepted: " + String.join(", ", config.algorithms()) + ")");
    }
    JWK key = keys.find(header.getKeyID());
    if (key == null) {
      throw new Refused("unknown signing key" + (header.getKeyID() == null ? " (the token names no kid)" : " '" + header.getKeyID() + "'"));
    }
    if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg)) {
      throw new Refused("the key '" + key.getKeyID() + "' is for " + key.getAlgorithm().getName() + ", not " + alg);
    }
    if (!signatureValid(jws, key, header.getAlgorithm())) {
      throw new Refused("the token's signature is not valid");
    }
    JWTClaimsSet claims;
    try {
      claims = jws.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new Refused("the token's claims are not valid JSON");
    }
    checkClaims(claims);
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new Refused("the token has no subject (sub)");
    }
    return new Principal(subject, capabilities(claims), false, Principal.Source.JWT,
        claims.getExpirationTime().toInstant().plus(CLOCK_SKEW)); // checkClaims made sure there is an exp
  }

  private boolean signatureValid(SignedJWT jws, JWK key, JWSAlgorithm alg) throws Refused {
    try {
      if (JWSAlgorithm.Family.RSA.contains(alg) && key instanceof RSAKey rsa) {
        return jws.verify(new RSASSAVerifier(rsa));
      }
      if (JWSAlgorithm.Family.EC.contains(alg) && key instanceof ECKey ec) {
        return jws.verify(new ECDSAVerifier(ec));
      }
      if (JWSAlgorithm.EdDSA.equals(alg) && key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
        return ed25519Valid(jws, okp);
      }
    } catch (JOSEException e) {
      throw new Refused("the token's signature could not be checked: " + e.getMessage());
    }
    throw new Refused("the key '" + key.getKeyID() + "' (" + key.getKeyType() + ") cannot verify " + alg.getName());
  }

  /** Ed25519 with the JDK's own implementation (nimbus would need Tink for it). */
  private static boolean ed25519Valid(SignedJWT jws, OctetKeyPair okp) throws Refused {
    try {
      byte[] raw = okp.getDecodedX();
      byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
      System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
      System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
      PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(publicKey);
      signature.update(jws.getSigningInput());
      return signature.verify(jws.getSignature().decode());
    } catch (GeneralSecurityException e) {
      throw new Refused("the token's Ed25519 signature could not be checked");
    }
  }

  private void checkClaims(JWTClaimsSet claims) throws Refused {
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null) {
      throw new Refused("the token has no expiry (exp)");
    }
    if (claims.getExpirationTime().toInstant().plus(CLOCK_SKEW).isBefore(now)) {
      throw new Refused("the token expired at " + claims.getExpirationTime().toInstant());
    }
    if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().minus(CLOCK_SKEW).isAfter(now)) {
      throw new Refused("the token is not valid before " + claims.getNotBeforeTime().toInstant());
    }
    if (!config.issuer().equals(claims.getIssuer())) {
      throw new Refused("the token's issuer '" + claims.getIssuer() + "' is not the configured one");
    }
    if (!config.audience().isEmpty()) {
      List<String> audience = claims.getAudience();
      if (audience == null || audience.stream().noneMatch(config.audience()::contains)) {
        throw new Refused("the token is not for this audience (aud " + audience + ")");
      }
    }
  }

  private Set<String> capabilities(JWTClaimsSet claims) {
    Object value = claims.getClaim(config.capabilitiesClaim());
    Set<String> capabilities = new HashSet<>();
    if (value instanceof String text) {
      for (String part : text.trim().split("\\s+")) {
        if (!part.isEmpty()) {
          capabilities.add(part);
        }
      }
    } else if (value instanceof Collection<?> list) {
      list.forEach(item -> capabilities.add(String.valueOf(item)));
    }
    return capabilities;
  }
}
