package dev.switchboard.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.config.AuthConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWKS from a URL: loaded once, reloaded for an unknown kid (key rotation), but not more often than allowed. */
class JwksRotationTest {
  private HttpServer issuer;
  private final AtomicReference<String> jwks = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T10:00:00Z"));
  private final InstantSource clock = () -> now.get();
  private RSAKey oldKey;
  private RSAKey newKey;
  private JwtVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    oldKey = new RSAKeyGenerator(2048).keyID("old").generate();
    newKey = new RSAKeyGenerator(2048).keyID("new").generate();
    jwks.set(new JWKSet(oldKey.toPublicJWK()).toString());
    issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    issuer.start();
    AuthConfig.Jwt config = new AuthConfig.Jwt(URI.create("http://127.0.0.1:" + issuer.getAddress().getPort() + "/jwks.json"),
        null, "https://issuer.test/", List.of("hub"), null, null);
    verifier = new JwtVerifier(config, new JwksSource(config, clock), clock);
  }

  @AfterEach
  void stop() {
    issuer.stop(0);
  }

  private String token(RSAKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().issuer("https://issuer.test/").audience("hub").subject("svc")
            .expirationTime(Date.from(now.get().plusSeconds(600))).claim("scope", List.of("x", "y")).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void anUnknownKidReloadsTheKeysAtMostOncePerInterval() throws Exception {
    assertThat(verifier.verify(token(oldKey)).capabilities()).containsExactlyInAnyOrder("x", "y");
    assertThat(fetches.get()).isEqualTo(1);
    assertThat(verifier.verify(token(oldKey)).name()).isEqualTo("svc");
    assertThat(fetches.get()).as("known keys are not fetched again").isEqualTo(1);

    jwks.set(new JWKSet(List.of(oldKey.toPublicJWK(), newKey.toPublicJWK())).toString());
    String rotated = token(newKey);
    assertThatThrownBy(() -> verifier.verify(rotated)).hasMessage("unknown signing key 'new'");
    assertThat(fetches.get()).as("within the interval no reload happens").isEqualTo(1);

    now.set(now.get().plus(JwksSource.MIN_REFRESH).plus(Duration.ofSeconds(1)));
    assertThat(verifier.verify(rotated).name()).isEqualTo("svc");
    assertThat(fetches.get()).isEqualTo(2);
  }

  @Test
  void expiryAndNotBeforeAllowASmallClockSkew() throws Exception {
    String valid = token(oldKey);
    now.set(now.get().plusSeconds(600).plus(JwtVerifier.CLOCK_SKEW).minusSeconds(1));
    assertThat(verifier.verify(valid).name()).isEqualTo("svc");
    now.set(now.get().plusSeconds(2));
    assertThatThrownBy(() -> verifier.verify(valid)).hasMessageStartingWith("the token expired at");
  }
}
