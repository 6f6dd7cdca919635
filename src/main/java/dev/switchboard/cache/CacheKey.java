package dev.switchboard.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.CanonicalJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of one cached result: SHA-256 over the exposed tool name, the canonical JSON of the
 * arguments ({@link CanonicalJson}) and the scope. Nothing instance-local goes in, so hub instances
 * with one config and one Redis compute the same key. {@code server} and {@code tool} travel with
 * the hash so a backend's or a tool's entries can be dropped together; they are not part of it
 * beyond the tool name.
 *
 * @param server the configured server that answers the tool
 * @param tool the exposed tool name
 * @param hash lower-case hex SHA-256
 */
public record CacheKey(String server, String tool, String hash) {
  /** The scope of entries every principal shares ({@code cache_scope: shared}). */
  public static final String SHARED = "shared";

  /**
   * The key of a call. Missing or null arguments are the empty object (the same call to a tool).
   *
   * @param scope {@link #SHARED} or {@link #scopeOf(Principal)}
   */
  public static CacheKey of(String server, String tool, JsonNode arguments, String scope) {
    return ofCanonical(server, tool, arguments == null || arguments.isNull() ? null : CanonicalJson.bytes(arguments), scope);
  }

  /** {@link #of} from arguments already in canonical form ({@link CanonicalJson#bytes}; null = none). */
  public static CacheKey ofCanonical(String server, String tool, byte[] canonicalArguments, String scope) {
    MessageDigest sha = sha256();
    field(sha, "switchboard-cache-v1".getBytes(StandardCharsets.UTF_8));
    field(sha, tool.getBytes(StandardCharsets.UTF_8));
    field(sha, scope.getBytes(StandardCharsets.UTF_8));
    field(sha, canonicalArguments == null ? EMPTY_OBJECT : canonicalArguments);
    return new CacheKey(server, tool, HexFormat.of().formatHex(sha.digest()));
  }

  /**
   * The per-principal scope: by user name, so every instance (and every session of one user) shares
   * it. Principals without access control (no {@code users}, or stdio without {@code stdio.user})
   * form one anonymous principal, kept apart from any configured user of the same name.
   */
  public static String scopeOf(Principal principal) {
    return (principal.unrestricted() ? "anonymous:" : "user:") + principal.name();
  }

  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

  /** Length-prefixed, so no two different (tool, scope, arguments) triples feed the same bytes. */
  private static void field(MessageDigest sha, byte[] bytes) {
    sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
