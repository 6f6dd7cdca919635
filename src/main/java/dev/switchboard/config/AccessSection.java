package dev.switchboard.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads who may connect: {@code users}, {@code auth}, {@code stdio} and {@code admin}. Token values are
 * secrets: no message quotes them.
 */
final class AccessSection {
  static final List<String> USER_KEYS = List.of("token_sha256", "token", "capabilities");
  static final List<String> CREDENTIAL_KEYS = List.of("token_sha256", "token");
  static final List<String> AUTH_KEYS = List.of("jwt", "requires");
  static final List<String> JWT_KEYS =
      List.of("jwks_url", "jwks_file", "issuer", "audience", "capabilities_claim", "algorithms");
  static final List<String> STDIO_KEYS = List.of("user");
  static final List<String> ALGORITHMS =
      List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");

  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
  private static final Pattern SHA256 = Pattern.compile("[0-9A-Fa-f]{64}");

  private record Credential(String tokenSha256, String token) {}

  private AccessSection() {}

  static Map<String, UserConfig> users(NodeReader reader, Node node) {
    Map<String, UserConfig> users = new LinkedHashMap<>();
    Fields section = reader.map(node, "users", "a map of user names to tokens", null);
    if (section == null) {
      return users;
    }
    Map<String, String> userByTokenHash = new LinkedHashMap<>();
    for (Fields.Entry entry : section.entries()) {
      String name = entry.key();
      String path = section.path(name);
      if (!USER_NAME.matcher(name).matches()) {
        reader.error(entry.keyNode(), "invalid user name '" + name
            + "' in users; expected 1 to 64 letters, digits, '_', '.', '@' or '-'");
      }
      if (NodeReader.absent(entry.value())) {
        reader.error(entry.keyNode(), path + ": expected a map with token or token_sha256, got nothing");
        continue;
      }
      Fields user = reader.map(entry.value(), path, "a map with token or token_sha256", USER_KEYS);
      if (user == null) {
        continue;
      }
      Credential credential = credential(reader, user, entry.keyNode());
      List<String> capabilities = user.strings("capabilities", "[db.read, files.read]");
      if (credential == null) {
        continue;
      }
      String hash = credential.tokenSha256() != null ? credential.tokenSha256() : sha256(credential.token());
      String other = userByTokenHash.putIfAbsent(hash, name);
      if (other != null) {
        reader.error(entry.keyNode(), path + ": has the same token as " + section.path(other)
            + "; a token must name one user");
      }
      users.put(name, new UserConfig(name, credential.tokenSha256(), credential.token(), capabilities));
    }
    return users;
  }

  /** The user names declared under {@code users}, valid or not (so that one bad user does not cascade). */
  static Set<String> userNames(Node node) {
    if (!(node instanceof MappingNode mapping)) {
      return Set.of();
    }
    Set<String> names = new LinkedHashSet<>();
    mapping.getValue().forEach(tuple -> {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        names.add(key.getValue());
      }
    });
    return names;
  }

  static AdminConfig admin(NodeReader reader, Node keyNode, Node node) {
    Fields admin = reader.map(node, "admin", "a map with token or token_sha256", CREDENTIAL_KEYS);
    if (admin == null) {
      return null;
    }
    Credential credential = credential(reader, admin, keyNode);
    return credential == null ? null : new AdminConfig(credential.tokenSha256(), credential.token());
  }

  /** Exactly one of {@code token} and {@code token_sha256}; null if wrong (and reported). */
  private static Credential credential(NodeReader reader, Fields fields, Node ownerKey) {
    String path = fields.path();
    if (fields.has("token") && fields.has("token_sha256")) {
      reader.error(fields.keyNode("token"), path + ": set either token or token_sha256, not both");
      return null;
    } else if (!fields.has("token") && !fields.has("token_sha256")) {
      reader.error(ownerKey, path + ": missing token or token_sha256");
      return null;
    }
    NodeReader.Text token = fields.string("token", "a string");
    if (token != null && token.value().isBlank()) {
      reader.error(token.node(), fields.path("token") + ": must not be empty");
      return null;
    }
    NodeReader.Text hash = fields.string("token_sha256", "64 hexadecimal characters");
    if (hash != null && !SHA256.matcher(hash.value()).matches()) {
      reader.error(hash.node(), fields.path("token_sha256")
          + ": expected the SHA-256 of the token as 64 hexadecimal characters");
      return null;
    }
    if (token == null && hash == null) {
      return null;
    }
    return new Credential(hash == null ? null : hash.value().toLowerCase(Locale.ROOT),
        token == null ? null : token.value());
  }

  static AuthConfig auth(NodeReader reader, Node node, Path base) {
    Fields auth = reader.map(node, "auth", "a map like {jwt: {...}, requires: [mcp.use]}", AUTH_KEYS);
    if (auth == null) {
      return null;
    }
    List<String> requires = auth.strings("requires", "[mcp.use]");
    Fields jwt = auth.map("jwt", "a map with jwks_url or jwks_file and issuer", JWT_KEYS);
    if (jwt == null) {
      return new AuthConfig(null, requires);
    }
    if (jwt.has("jwks_url") && jwt.has("jwks_file")) {
      reader.error(jwt.keyNode("jwks_file"), "auth.jwt: set either jwks_url or jwks_file, not both");
    } else if (!jwt.has("jwks_url") && !jwt.has("jwks_file")) {
      reader.error(auth.keyNode("jwt"), "auth.jwt: missing jwks_url or jwks_file (where the signing keys are)");
    }
    if (!jwt.has("issuer")) {
      reader.error(auth.keyNode("jwt"), "auth.jwt: missing issuer (the iss claim that tokens must carry)");
    }
    URI jwksUrl = reader.httpUrl(jwt.value("jwks_url"), jwt.path("jwks_url"));
    Path jwksFile = reader.path(jwt.value("jwks_file"), jwt.path("jwks_file"), base);
    NodeReader.Text issuer = jwt.string("issuer", "a string like https://auth.example.com/");
    NodeReader.Text claim = jwt.string("capabilities_claim", "a claim name like scope");
    if (claim != null && claim.value().isEmpty()) {
      reader.error(claim.node(), jwt.path("capabilities_claim") + ": must not be empty");
    }
    return new AuthConfig(new AuthConfig.Jwt(jwksUrl, jwksFile, issuer == null ? null : issuer.value(),
        audience(reader, jwt), claim == null ? null : claim.value(), algorithms(reader, jwt)), requires);
  }

  private static List<String> audience(NodeReader reader, Fields jwt) {
    Node node = jwt.value("audience");
    if ("a string".equals(NodeReader.kind(node))) {
      NodeReader.Text audience = jwt.string("audience", "a string or a list of strings");
      return audience == null ? null : List.of(audience.value());
    } else if (node instanceof SequenceNode || NodeReader.absent(node)) {
      return jwt.strings("audience", "[switchboard]");
    }
    reader.expected(node, jwt.path("audience"), "a string or a list of strings");
    return null;
  }

  private static List<String> algorithms(NodeReader reader, Fields jwt) {
    List<NodeReader.Text> texts = reader.texts(jwt.value("algorithms"), jwt.path("algorithms"), "[RS256, ES256]",
        false, false);
    if (texts == null) {
      return null;
    }
    List<String> algorithms = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      NodeReader.Text text = texts.get(i);
      String name = text.value();
      String path = jwt.path("algorithms") + "[" + i + "]";
      String upper = name.toUpperCase(Locale.ROOT);
      if (ALGORITHMS.contains(name)) {
        algorithms.add(name);
      } else if (upper.equals("NONE")) {
        reader.error(text.node(), path + ": " + text.shown() + " is refused: it would accept unsigned tokens");
      } else if (upper.startsWith("HS")) {
        reader.error(text.node(), path + ": " + text.shown() + " is refused: shared-secret (HMAC) algorithms"
            + " are not supported; expected one of " + String.join(", ", ALGORITHMS));
      } else {
        String nearest = text.fromEnv() ? null : Suggestions.nearest(name, ALGORITHMS);
        reader.error(text.node(), "invalid algorithm " + text.shown() + " for " + path + "; expected one of "
            + String.join(", ", ALGORITHMS) + (nearest == null ? "" : " (did you mean '" + nearest + "'?)"));
      }
    }
    return algorithms;
  }

  /** {@code stdio: {user: NAME}}: NAME must be one of the users. */
  static StdioConfig stdio(NodeReader reader, Node node, Set<String> userNames) {
    Fields stdio = reader.map(node, "stdio", "a map like {user: alice}", STDIO_KEYS);
    if (stdio == null) {
      return StdioConfig.DEFAULT;
    }
    NodeReader.Text user = stdio.string("user", "a user name");
    if (user == null) {
      return StdioConfig.DEFAULT;
    }
    if (!userNames.contains(user.value())) {
      String nearest = user.fromEnv() ? null : Suggestions.nearest(user.value(), userNames);
      reader.error(user.node(), "stdio.user: unknown user " + user.shown() + "; "
          + (userNames.isEmpty() ? "no users are defined under users"
              : nearest != null ? "did you mean '" + nearest + "'?" : "known users: " + String.join(", ", userNames)));
    }
    return new StdioConfig(user.value());
  }

  private static String sha256(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every JDK has SHA-256", impossible);
    }
  }
}
