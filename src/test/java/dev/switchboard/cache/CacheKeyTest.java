package dev.switchboard.cache;

import dev.switchboard.jsonrpc.CanonicalJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.access.Principal;
import dev.switchboard.jsonrpc.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
  private static CacheKey key(String arguments) {
    return CacheKey.of("web", "web_get_weather", arguments == null ? null : Json.parse(arguments), "user:alice");
  }

  private static String canonical(String json) {
    return new String(CanonicalJson.bytes(Json.parse(json)), StandardCharsets.UTF_8);
  }

  @Test
  void keyOrderAndNumberSpellingMakeOneKey() {
    assertThat(key("{\"a\":1,\"b\":2}")).isEqualTo(key("{\"b\":2,\"a\":1.0}"));
    assertThat(key("{\"a\":100}")).isEqualTo(key("{\"a\":1E2}"));
    assertThat(key("{\"a\":0.50}")).isEqualTo(key("{\"a\":5e-1}"));
    assertThat(key("{\"a\":0}")).isEqualTo(key("{\"a\":-0.0}"));
  }

  @Test
  void nestedObjectsAreSortedToo() {
    assertThat(key("{\"q\":{\"z\":[1,{\"y\":2,\"x\":1}],\"a\":true}}"))
        .isEqualTo(key("{\"q\":{\"a\":true,\"z\":[1.0,{\"x\":1,\"y\":2.00}]}}"));
  }

  @Test
  void differentArgumentsMakeDifferentKeys() {
    assertThat(key("{\"city\":\"Paris\"}")).isNotEqualTo(key("{\"city\":\"Lyon\"}"));
    assertThat(key("{\"a\":1}")).isNotEqualTo(key("{\"a\":\"1\"}"));
    assertThat(key("{\"a\":1}")).isNotEqualTo(key("{\"a\":1.1}"));
    assertThat(key("{\"a\":[1,2]}")).isNotEqualTo(key("{\"a\":[2,1]}"));
    assertThat(key("{\"a\":null}")).isNotEqualTo(key("{}"));
  }

  @Test
  void missingOrNullArgumentsAreTheEmptyObject() {
    assertThat(key(null)).isEqualTo(key("{}"));
    assertThat(key("null")).isEqualTo(key("{}"));
  }

  @Test
  void scopeToolAndNotServerMakeTheHash() {
    CacheKey alice = CacheKey.of("web", "t", Json.object(), "user:alice");
    assertThat(CacheKey.of("web", "t", Json.object(), "user:bob").hash()).isNotEqualTo(alice.hash());
    assertThat(CacheKey.of("web", "u", Json.object(), "user:alice").hash()).isNotEqualTo(alice.hash());
    assertThat(CacheKey.of("other", "t", Json.object(), "user:alice").hash()).isEqualTo(alice.hash());
    assertThat(alice.hash()).matches("[0-9a-f]{64}");
  }

  @Test
  void fieldsCannotRunIntoEachOther() {
    // Without length prefixes, ("ab", "c") and ("a", "bc") could feed the same bytes.
    assertThat(CacheKey.of("s", "ab", Json.object(), "c").hash()).isNotEqualTo(CacheKey.of("s", "a", Json.object(), "bc").hash());
  }

  @Test
  void anonymousPrincipalIsKeptApartFromAUserOfTheSameName() {
    Principal userNamedLocal = new Principal("local", Set.of(), false);
    assertThat(CacheKey.scopeOf(Principal.LOCAL)).isNotEqualTo(CacheKey.scopeOf(userNamedLocal));
    assertThat(CacheKey.scopeOf(new Principal("alice", Set.of("a"), false)))
        .isEqualTo(CacheKey.scopeOf(new Principal("alice", Set.of("b"), false)));
  }

  @Test
  void canonicalJsonIsValidJsonWithSortedKeysAndNormalNumbers() {
    assertThat(canonical("{ \"b\" : [ 1.50 , 2 ], \"a\" : \"x\\n\\u00e9\" }")).isEqualTo("{\"a\":\"x\\né\",\"b\":[15e-1,2e0]}");
    assertThat(Json.parse(canonical("{\"b\":1e3,\"a\":null}"))).isNotNull();
  }

  @Test
  void hugeExponentsStayShort() {
    assertThat(CanonicalJson.number(new BigDecimal("1e999999999"))).isEqualTo("1e999999999");
    assertThat(CanonicalJson.number(new BigDecimal("12300"))).isEqualTo("123e2");
    assertThat(CanonicalJson.number(new BigDecimal("0.000"))).isEqualTo("0e0");
  }
}
