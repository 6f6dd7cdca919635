package dev.switchboard.access;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.switchboard.config.AuthConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWKS of the token issuer, from {@code jwks_url} or {@code jwks_file}: loaded on first use,
 * kept, and loaded again when a token names a key id it does not know (key rotation) — at most
 * once per {@link #MIN_REFRESH}, so unknown kids cannot make the hub hammer the issuer.
 */
final class JwksSource {
  private static final Logger log = LoggerFactory.getLogger(JwksSource.class);
  static final Duration MIN_REFRESH = Duration.ofSeconds(30);

  private final AuthConfig.Jwt config;
  private final InstantSource clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile JWKSet keys;
  private volatile Instant loadedAt;

  JwksSource(AuthConfig.Jwt config, InstantSource clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The key with this id (or the only key when the token names none); null when there is none even after a refresh. */
  JWK find(String kid) {
    JWK key = lookup(kid);
    if (key == null && refreshAllowed()) {
      reload();
      key = lookup(kid);
    }
    return key;
  }

  private JWK lookup(String kid) {
    JWKSet set = keys;
    if (set == null) {
      return null;
    }
    if (kid == null) {
      return set.getKeys().size() == 1 ? set.getKeys().getFirst() : null;
    }
    return set.getKeyByKeyId(kid);
  }

  private boolean refreshAllowed() {
    Instant last = loadedAt;
    return last == null || Duration.between(last, clock.instant()).compareTo(MIN_REFRESH) >= 0;
  }

  private synchronized void reload() {
    if (!refreshAllowed()) {
      return; // another thread just did
    }
    loadedAt = clock.instant();
    try {
      String text;
      if (config.jwksFile() != null) {
        text = Files.readString(config.jwksFile());
      } else {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(config.jwksUrl()).timeout(Duration.ofSeconds(5))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IOException("HTTP " + response.statusCode());
        }
        text = response.body();
      }
      keys = JWKSet.parse(text);
      log.info("loaded {} JWKS key(s) from {}", keys.getKeys().size(),
          config.jwksFile() != null ? config.jwksFile() : config.jwksUrl().getHost());
    } catch (IOException | ParseException e) {
      log.warn("could not load the JWKS from {}: {}", config.jwksFile() != null ? config.jwksFile() : config.jwksUrl(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
