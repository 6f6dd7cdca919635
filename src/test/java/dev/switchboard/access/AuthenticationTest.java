package dev.switchboard.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.FakeHttpBackend;
import dev.switchboard.testing.HttpHub;
import dev.switchboard.testing.HubProcess;
import dev.switchboard.testing.McpWebSocketClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may use the hub over HTTP: static tokens and JWTs (RS256, ES256, EdDSA), every way a token
 * can be wrong (each a 401 with a clear message, none reaching a backend), auth.requires (403),
 * the RFC 9728 metadata, and that no client token is ever forwarded to a backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationTest {
  private static final String ISSUER = "https://auth.example.test/";
  private static final String INIT = """
      {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
       "clientInfo":{"name":"auth-test","version":"1"}}}""";

  @TempDir
  static Path dir;

  private HttpHub hub;
  private FakeHttpBackend remote;
  private Path record;
  private RSAKey rsa;
  private ECKey ec;
  private KeyPair ed;
  private String edKid = "ed-1";

  @BeforeAll
  void start() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = ed.getPublic().getEncoded();
    OctetKeyPair edJwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
        .keyID(edKid).build();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK(), edJwk)).toString());
    record = dir.resolve("backend.jsonl");
    remote = FakeHttpBackend.start(FakeHttpBackend.Mode.STREAMABLE);
    hub = HttpHub.start(dir, """
        servers:
          local:
            command: %s
            prefix: l_
          remote:
            url: %s
            headers: { X-Backend-Key: "backend-own-key" }
            prefix: r_
        users:
          alice:
            token: "${ALICE_TOKEN}"
            capabilities: [mcp.use]
          carol:
            token_sha256: %s
            capabilities: [mcp.use]
          bob:
            token: bob-token-without-mcp-use
            capabilities: []
        auth:
          requires: [mcp.use]
          jwt:
            jwks_file: %s
            issuer: %s
            audience: switchboard
        """.formatted(HubProcess.fakeBackend("--name", "local", "--tools", "t", "--record", record.toString()),
        remote.url(), sha256("carols-real-token"), jwks, ISSUER), Map.of("ALICE_TOKEN", "alice-token-123"));
  }

  @AfterAll
  void stop() {
    if (hub != null) {
      hub.close();
    }
    if (remote != null) {
      remote.close();
    }
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> initializeWith(String authorization) throws Exception {
    return hub.post(INIT, authorization == null ? Map.of() : Map.of("Authorization", authorization));
  }

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience("switchboard").subject("jwt-user")
        .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("scope", "mcp.use db.read");
  }

  private String rs256(JWTClaimsSet claims, String kid) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(rsa));
    return jwt.serialize();
  }

  private String ed25519(JWTClaimsSet claims) throws Exception {
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"alg\":\"EdDSA\",\"kid\":\"" + edKid + "\"}").getBytes(StandardCharsets.UTF_8));
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(ed.getPrivate());
    signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
  }

  private void assertRefused(HttpResponse<String> response, String messagePart) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(Json.parse(response.body()).at("/error/message").asText()).contains(messagePart);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
        .startsWith("Bearer resource_metadata=\"http://127.0.0.1:" + hub.base().getPort() + "/.well-known/oauth-protected-resource/mcp\"");
  }

  @Test
  void staticTokensGoodAndEveryKindOfBad() throws Exception {
    assertThat(initializeWith("Bearer alice-token-123").statusCode()).isEqualTo(200);
    assertThat(initializeWith("Bearer carols-real-token").statusCode()).isEqualTo(200);
    assertRefused(initializeWith("Bearer alice-token-124"), "the token is not valid");
    assertRefused(initializeWith("Bearer "), "a bearer token is required");
    HttpResponse<String> missing = initializeWith(null);
    assertRefused(missing, "a bearer token is required");
    assertThat(missing.headers().firstValue("WWW-Authenticate").orElse("")).doesNotContain("error=");
    assertRefused(initializeWith("Bearer " + sha256("carols-real-token")), "the token is not valid");
    assertRefused(initializeWith("Basic YWxpY2U6eA=="), "a bearer token is required");
  }

  @Test
  void jwtsSignedWithEachAcceptedAlgorithmAreAccepted() throws Exception {
    assertThat(initializeWith("Bearer " + rs256(claims().build(), "rsa-1")).statusCode()).isEqualTo(200);
    SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build());
    es.sign(new ECDSASigner(ec));
    assertThat(initializeWith("Bearer " + es.serialize()).statusCode()).isEqualTo(200);
    assertThat(initializeWith("Bearer " + ed25519(claims().build())).statusCode()).isEqualTo(200);
  }

  @Test
  void jwtsThatAreWrongInAnyWayAreRefusedWithAClearMessage() throws Exception {
    assertRefused(initializeWith("Bearer " + rs256(claims().expirationTime(Date.from(Instant.now().minusSeconds(600))).build(), "rsa-1")),
        "the token expired at");
    assertRefused(initializeWith("Bearer " + rs256(claims().issuer("https://evil.test/").build(), "rsa-1")),
        "issuer 'https://evil.test/' is not the configured one");
    assertRefused(initializeWith("Bearer " + rs256(claims().audience("someone-else").build(), "rsa-1")),
        "not for this audience");
    assertRefused(initializeWith("Bearer " + rs256(claims().build(), "rsa-unknown")), "unknown signing key 'rsa-unknown'");
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
        + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims().build().toString().getBytes(StandardCharsets.UTF_8)) + ".";
    assertRefused(initializeWith("Bearer " + none), "alg none");
    String good = rs256(claims().build(), "rsa-1");
    String[] parts = good.split("\\.");
    String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims().claim("scope", "mcp.use admin").build().toString().getBytes(StandardCharsets.UTF_8));
    assertRefused(initializeWith("Bearer " + parts[0] + "." + tamperedPayload + "." + parts[2]), "signature is not valid");
    // HS256 "signed" with the public key's bytes: the classic key-confusion attack.
    SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
    hs.sign(new MACSigner(Arrays.copyOf(rsa.toRSAPublicKey().getEncoded(), 64)));
    assertRefused(initializeWith("Bearer " + hs.serialize()), "only public-key signatures are accepted");
  }

  @Test
  void noRefusedRequestEverReachesABackend() throws Exception {
    initializeWith("Bearer wrong");
    hub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"l_t\",\"arguments\":{}}}",
        Map.of("Authorization", "Bearer wrong"));
    assertThat(Files.readAllLines(record)).noneMatch(line -> line.contains("tools/call"));
    assertThat(remote.count("tools/call")).isZero();
  }

  @Test
  void aPrincipalWithoutTheEndpointCapabilityGets403() throws Exception {
    HttpResponse<String> response = initializeWith("Bearer bob-token-without-mcp-use");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"insufficient_scope\"")
        .contains("scope=\"mcp.use\"");
    assertThat(Json.parse(response.body()).at("/error/message").asText()).contains("lacks mcp.use");
  }

  @Test
  void theProtectedResourceMetadataNamesTheIssuerAndScopes() throws Exception {
    for (String path : List.of("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp")) {
      HttpResponse<String> response = hub.get(path, Map.of());
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = Json.parse(response.body());
      assertThat(body.get("resource").asText()).isEqualTo("http://127.0.0.1:" + hub.base().getPort() + "/mcp");
      assertThat(body.get("authorization_servers").get(0).asText()).isEqualTo(ISSUER);
      assertThat(body.get("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
      assertThat(body.get("scopes_supported").toString()).contains("mcp.use");
    }
  }

  @Test
  void aClientsTokenIsNeverForwardedToABackend() throws Exception {
    HttpResponse<String> init = initializeWith("Bearer alice-token-123");
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    HttpResponse<String> call = hub.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"r_echo_json\",\"arguments\":{}}}",
        Map.of("Authorization", "Bearer alice-token-123", "Mcp-Session-Id", session));
    assertThat(call.statusCode()).isEqualTo(200);
    assertThat(remote.received()).isNotEmpty().allSatisfy(request -> {
      assertThat(request.header("Authorization")).isNull();
      assertThat(request.headers().toString()).doesNotContain("alice-token-123");
    });
    assertThat(remote.received()).anySatisfy(request -> assertThat(request.header("X-Backend-Key")).isEqualTo("backend-own-key"));
    assertThat(hub.stderr()).noneMatch(line -> line.contains("alice-token-123"));
  }

  @Test
  void aWebSocketIsClosedWhenItsJwtExpiresWhileAStreamableHttpSessionTakesARefreshedToken() throws Exception {
    // exp a little less than the allowed clock skew ago: accepted now, expired for good in ~3 s.
    Instant soon = Instant.now().minus(JwtVerifier.CLOCK_SKEW).plusSeconds(3);
    String expiring = rs256(claims().expirationTime(Date.from(soon)).build(), "rsa-1");
    McpWebSocketClient ws = McpWebSocketClient.connect(java.net.http.HttpClient.newHttpClient(),
        java.net.URI.create("ws://127.0.0.1:" + hub.base().getPort() + "/ws"), Map.of("Authorization", "Bearer " + expiring), "mcp");
    try {
      ws.initialize();
      McpWebSocketClient.Closed closed = ws.awaitClose(java.time.Duration.ofSeconds(30));
      assertThat(closed.code()).isEqualTo(1008);
      assertThat(closed.reason()).isEqualTo("Unauthorized");
      // not before the token's exp (whole seconds in a JWT) plus the skew
      assertThat(Instant.now()).isAfterOrEqualTo(soon.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(JwtVerifier.CLOCK_SKEW));
    } finally {
      ws.close();
    }
    // Over Streamable HTTP each request brings its token: a session outlives the first one.
    HttpResponse<String> init = initializeWith("Bearer " + rs256(claims().build(), "rsa-1"));
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    HttpResponse<String> list = hub.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
        Map.of("Authorization", "Bearer " + rs256(claims().build(), "rsa-1"), "Mcp-Session-Id", session));
    assertThat(list.statusCode()).isEqualTo(200);
  }

  @Test
  void aStatelessListenStreamEndsWithAnErrorWhenItsJwtExpires() throws Exception {
    Instant soon = Instant.now().minus(JwtVerifier.CLOCK_SKEW).plusSeconds(3);
    String expiring = rs256(claims().expirationTime(Date.from(soon)).build(), "rsa-1");
    String listen = "{\"jsonrpc\":\"2.0\",\"id\":31,\"method\":\"subscriptions/listen\",\"params\":{"
        + "\"notifications\":{\"toolsListChanged\":true},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
        + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"raw-http\",\"version\":\"1\"},"
        + "\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
    HttpResponse<java.io.InputStream> stream = hub.postStreaming(listen, Map.of("Authorization", "Bearer " + expiring,
        "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "subscriptions/listen"));
    assertThat(stream.statusCode()).isEqualTo(200);
    java.util.concurrent.BlockingQueue<JsonNode> events = new java.util.concurrent.LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      try (java.io.BufferedReader reader = new java.io.BufferedReader(
          new java.io.InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("data:")) {
            events.add(Json.parse(line.substring(5).trim()));
          }
        }
      } catch (java.io.IOException e) {
        // closed
      }
      events.add(com.fasterxml.jackson.databind.node.NullNode.instance); // the stream ended
    });
    JsonNode ack = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(ack).isNotNull();
    assertThat(ack.path("method").asText()).isEqualTo("notifications/subscriptions/acknowledged");
    JsonNode last = events.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(last).as("the listen request's answer").isNotNull();
    assertThat(last.path("id").asInt()).isEqualTo(31);
    assertThat(last.at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(last.at("/error/message").asText()).contains("Unauthorized: the token of principal 'jwt-user' expired");
    assertThat(Instant.now()).isAfterOrEqualTo(soon.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(JwtVerifier.CLOCK_SKEW));
    assertThat(events.poll(10, java.util.concurrent.TimeUnit.SECONDS)).as("the stream ended").isEqualTo(
        com.fasterxml.jackson.databind.node.NullNode.instance);
  }
}
