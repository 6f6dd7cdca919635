package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of config error, with its exact line: file, line, column and message. */
class ConfigErrorsTest {
  private static final String ALGORITHMS = "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA";

  static List<String> problems(String yaml) {
    return problems(yaml, Map.of());
  }

  static List<String> problems(String yaml, Map<String, String> env) {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.parse(yaml, "switchboard.yaml", null, env));
    assertThat(e).as("expected a ConfigException").isNotNull();
    assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
    return e.problems();
  }

  @Test
  void unknownKeySuggestsTheNearestKnownKey() {
    assertThat(problems("""
        servers:
          database:
            command: [node, db.js]
            prefx: db_
        """)).containsExactly("switchboard.yaml:4:5: unknown key 'prefx' in servers.database; did you mean 'prefix'?");
  }

  @Test
  void unknownTopLevelKeySuggestsOrListsTheKnownKeys() {
    assertThat(problems("""
        serverz: {}
        plugins: []
        """)).containsExactly(
        "switchboard.yaml:1:1: unknown key 'serverz' at the top level; did you mean 'servers'?",
        "switchboard.yaml:2:1: unknown key 'plugins' at the top level; known keys: listen, hub, servers, users,"
            + " auth, stdio, tools, resources, prompts, cache, admin, audit, http");
  }

  @Test
  void duplicateKeysAreErrors() {
    assertThat(problems("""
        servers:
          db:
            command: [node]
            prefix: a_
            prefix: b_
          db:
            url: http://x/mcp
        """)).containsExactly(
        "switchboard.yaml:5:5: duplicate key 'prefix' in servers.db (first at line 4)",
        "switchboard.yaml:6:3: duplicate key 'db' in servers (first at line 2)");
  }

  @Test
  void serverWithBothCommandAndUrlIsAnError() {
    assertThat(problems("""
        servers:
          web:
            command: [node, web.js]
            url: http://127.0.0.1:9001/mcp
        """)).containsExactly("switchboard.yaml:4:5: servers.web: has both command and url; a server is either"
        + " a child process (command) or a remote endpoint (url)");
  }

  @Test
  void serverWithNeitherCommandNorUrlIsAnError() {
    assertThat(problems("""
        servers:
          web:
            prefix: web_
        """)).containsExactly("switchboard.yaml:2:3: servers.web: missing command or url; expected e.g."
        + " command: [node, server.js] or url: http://127.0.0.1:9001/mcp");
  }

  @Test
  void secondDefaultServerNamesBoth() {
    assertThat(problems("""
        servers:
          a:
            command: [a]
            default: true
          b:
            command: [b]
            default: true
        """)).containsExactly("switchboard.yaml:7:5: servers.b.default: only one server can be the default,"
        + " but servers.a is the default too");
  }

  @Test
  void disabledServerIsValidatedThenDroppedAndIsNoSecondDefault() throws Exception {
    String yaml = """
        servers:
          a: { command: [a], default: true }
          b: { command: [b], default: true, disabled: true }
        """;
    assertThat(ConfigLoader.parse(yaml, "switchboard.yaml", null, Map.of()).servers()).containsOnlyKeys("a");
    assertThat(problems("""
        servers:
          b: { command: [b], timeout: soon, disabled: true }
        """)).containsExactly(
        "switchboard.yaml:2:31: invalid duration 'soon' for servers.b.timeout; expected e.g. 500ms, 30s, 5m, 1h");
  }

  @Test
  void wrongNodeTypesNameTheKeyAndWhatWasExpected() {
    assertThat(problems("""
        listen: [1, 2]
        hub: 5
        servers:
          db:
            command: 5
            env: [A]
            requires: db.read
            default: "maybe"
          web: [http://x]
          files:
        tools: [x]
        """)).containsExactly(
        "switchboard.yaml:1:9: listen: expected HOST:PORT like 127.0.0.1:8080 or a port number, got a list"
            + " (quote an IPv6 address: \"[::1]:8080\")",
        "switchboard.yaml:2:6: hub: expected a map like {request_timeout: 60s}, got a number",
        "switchboard.yaml:5:14: servers.db.command: expected a list of strings like [node, server.js], got a number",
        "switchboard.yaml:6:10: servers.db.env: expected a map like {NAME: value}, got a list",
        "switchboard.yaml:7:15: servers.db.requires: expected a list of strings like [db.read], got a string",
        "switchboard.yaml:8:14: servers.db.default: expected true or false, got 'maybe'",
        "switchboard.yaml:9:8: servers.web: expected a map with command or url, got a list",
        "switchboard.yaml:10:3: servers.files: expected a map with command or url, got nothing",
        "switchboard.yaml:11:8: tools: expected a map of names or globs to settings, got a list");
  }

  @Test
  void keysMustBeNames() {
    assertThat(problems("""
        servers:
          ? [a, b]
          : { command: [node] }
        """)).containsExactly("switchboard.yaml:2:5: servers: expected a name as key, got a list");
  }

  @Test
  void topLevelMustBeAMap() {
    assertThat(problems("- a\n- b\n")).containsExactly("switchboard.yaml:1:1: expected a map of settings at the"
        + " top level (listen, hub, servers, users, auth, stdio, tools, resources, prompts, cache, admin, audit, http),"
        + " got a list");
  }

  /** Whatever shape a value has, the result is a ConfigException, never a ClassCastException or the like. */
  @ParameterizedTest(name = "values like {0} in every place")
  @ValueSource(strings = {"[]", "[1, [2]]", "{}", "{a: {b: c}}", "5", "-1", "1.5", "true", "''", "x", "~",
      "\"${NOPE}\"", "\"${\""})
  void anyShapeOfValueInAnyPlaceIsAConfigErrorOrValid(String value) {
    String yaml = """
        listen: V
        hub: { request_timeout: V, max_request_timeout: V, startup_wait: V, shutdown_grace: V, page_size: V }
        servers:
          a: { command: V, args: V, env: V, cwd: V, prefix: V, default: V, timeout: V, max_timeout: V,
               requires: V, disabled: V }
          b: { url: V, headers: V, transport: V }
          c: { command: [V, V], args: [V], env: { A: V } }
          d: V
        users:
          u: { token: V, capabilities: V }
          v: { token_sha256: V, capabilities: [V] }
          w: V
        auth: { jwt: { jwks_url: V, jwks_file: V, issuer: V, audience: V, capabilities_claim: V, algorithms: V } }
        stdio: { user: V }
        tools: { t: V, u: { requires: V, cache: V, cache_scope: V } }
        resources: { r: V, s: { requires: V } }
        prompts:
          p: V
          q: { description: V, arguments: V, messages: V, requires: V }
          r: { arguments: [V, { name: V, description: V, required: V }], messages: [V, { role: V, text: V }] }
        cache: { default_ttl: V, store: V, max_size: V, store_timeout: V }
        admin: { token: V }
        audit: { file: V }
        """.replace("V", value);
    String sectionsReplaced = yaml.lines()
        .map(line -> line.startsWith(" ") ? "" : line.substring(0, line.indexOf(':')) + ": " + value + "\n")
        .collect(Collectors.joining());
    for (String top : List.of(yaml, sectionsReplaced)) {
      try {
        ConfigLoader.parse(top, "switchboard.yaml", null, Map.of());
      } catch (ConfigException e) {
        assertThat(e.problems()).allMatch(line -> line.startsWith("switchboard.yaml:"));
      }
    }
  }

  @Test
  void hubValuesAreChecked() {
    assertThat(problems("""
        hub:
          request_timeout: 5 minutes
          page_size: 0
          startup_wait: -1
        """)).containsExactly(
        "switchboard.yaml:2:20: invalid duration '5 minutes' for hub.request_timeout; expected e.g. 500ms, 30s, 5m, 1h",
        "switchboard.yaml:3:14: hub.page_size: expected an integer from 1 to 10000, got '0'",
        "switchboard.yaml:4:17: invalid duration '-1' for hub.startup_wait; expected e.g. 500ms, 30s, 5m, 1h");
  }

  @Test
  void maxRequestTimeoutMustNotBeShorterThanRequestTimeout() {
    assertThat(problems("""
        hub:
          request_timeout: 2m
          max_request_timeout: 1m
        """)).containsExactly(
        "switchboard.yaml:3:3: hub.max_request_timeout must not be shorter than hub.request_timeout");
    assertThat(problems("hub: { request_timeout: 20m }")).containsExactly("switchboard.yaml:1:8: hub.request_timeout"
        + " must not be longer than hub.max_request_timeout (default 10m); set hub.max_request_timeout too");
  }

  @Test
  void badListenAddressesAreQuoted() {
    assertThat(problems("listen: localhost")).containsExactly("switchboard.yaml:1:9: invalid listen address"
        + " 'localhost' for listen; expected HOST:PORT like 127.0.0.1:8080 or [::1]:8080, or a port number");
    assertThat(problems("listen: 70000")).containsExactly("switchboard.yaml:1:9: invalid listen address"
        + " '70000' for listen; the port must be from 0 to 65535");
    assertThat(problems("listen: \"::1:80\"")).containsExactly("switchboard.yaml:1:9: invalid listen address"
        + " '::1:80' for listen; write an IPv6 address in brackets, like [::1]:8080");
  }

  @Test
  void serverValuesAreChecked() {
    assertThat(problems("""
        servers:
          "bad name":
            command: [node, "", x]
          web:
            url: ftp://example.com
            transport: websocket
            prefix: "web prefix"
            timeout: 0
            env: { A: b }
          db:
            command: []
            headers: { A: b }
            args: [x]
        """)).containsExactly(
        "switchboard.yaml:2:3: invalid server name 'bad name' in servers; expected 1 to 64 letters, digits, '_' or '-'",
        "switchboard.yaml:3:21: servers.bad name.command[1]: must not be empty",
        "switchboard.yaml:5:10: invalid URL 'ftp://example.com' for servers.web.url; expected http:// or https://"
            + " with a host, like http://127.0.0.1:9001/mcp",
        "switchboard.yaml:6:16: invalid value 'websocket' for servers.web.transport; expected auto,"
            + " streamable-http or sse",
        "switchboard.yaml:7:13: invalid prefix 'web prefix' for servers.web.prefix; expected up to 32 letters,"
            + " digits, '_', '.' or '-'",
        "switchboard.yaml:8:14: invalid duration '0' for servers.web.timeout; must be greater than 0",
        "switchboard.yaml:9:5: servers.web.env: only allowed with command, not with url",
        "switchboard.yaml:11:14: servers.db.command: expected a list of strings like [node, server.js],"
            + " got an empty list",
        "switchboard.yaml:12:5: servers.db.headers: only allowed with url, not with command");
  }

  @Test
  void maxTimeoutMustNotBeShorterThanTimeout() {
    assertThat(problems("servers: { a: { command: [a], timeout: 1m, max_timeout: 30s } }")).containsExactly(
        "switchboard.yaml:1:44: servers.a.max_timeout must not be shorter than servers.a.timeout");
  }

  @Test
  void userAndAdminCredentialsAreChecked() {
    assertThat(problems("""
        users:
          alice:
            token: ""
          bob:
            token_sha256: abc123
            token: x
          carol:
            capabilities: [db.read]
          "dave smith":
            token: d
        stdio:
          user: eve
        admin:
          token_sha256: nothex
        """)).containsExactly(
        "switchboard.yaml:3:12: users.alice.token: must not be empty",
        "switchboard.yaml:6:5: users.bob: set either token or token_sha256, not both",
        "switchboard.yaml:7:3: users.carol: missing token or token_sha256",
        "switchboard.yaml:9:3: invalid user name 'dave smith' in users; expected 1 to 64 letters, digits, '_', '.',"
            + " '@' or '-'",
        "switchboard.yaml:12:9: stdio.user: unknown user 'eve'; known users: alice, bob, carol, dave smith",
        "switchboard.yaml:14:17: admin.token_sha256: expected the SHA-256 of the token as 64 hexadecimal characters");
  }

  @Test
  void stdioUserSuggestsANearName() {
    assertThat(problems("""
        users: { alice: { token: a } }
        stdio: { user: alcie }
        """)).containsExactly("switchboard.yaml:2:16: stdio.user: unknown user 'alcie'; did you mean 'alice'?");
    assertThat(problems("stdio: { user: alice }"))
        .containsExactly("switchboard.yaml:1:16: stdio.user: unknown user 'alice'; no users are defined under users");
  }

  @Test
  void twoUsersWithTheSameTokenAreAnError() {
    assertThat(problems("""
        users:
          alice: { token_sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 }
          bob: { token: password }
        """)).containsExactly(
        "switchboard.yaml:3:3: users.bob: has the same token as users.alice; a token must name one user");
  }

  @Test
  void jwtSettingsAreChecked() {
    assertThat(problems("""
        auth:
          jwt:
            jwks_url: https://a/jwks
            jwks_file: jwks.json
            audience: 5
            algorithms: [none, HS256, RS257, ES256]
        """)).containsExactly(
        "switchboard.yaml:2:3: auth.jwt: missing issuer (the iss claim that tokens must carry)",
        "switchboard.yaml:4:5: auth.jwt: set either jwks_url or jwks_file, not both",
        "switchboard.yaml:5:15: auth.jwt.audience: expected a string or a list of strings, got a number",
        "switchboard.yaml:6:18: auth.jwt.algorithms[0]: 'none' is refused: it would accept unsigned tokens",
        "switchboard.yaml:6:24: auth.jwt.algorithms[1]: 'HS256' is refused: shared-secret (HMAC) algorithms are"
            + " not supported; expected one of " + ALGORITHMS,
        "switchboard.yaml:6:31: invalid algorithm 'RS257' for auth.jwt.algorithms[2]; expected one of " + ALGORITHMS
            + " (did you mean 'RS256'?)");
    assertThat(problems("auth: { jwt: { issuer: me } }")).containsExactly(
        "switchboard.yaml:1:9: auth.jwt: missing jwks_url or jwks_file (where the signing keys are)");
  }

  @Test
  void toolResourceAndPromptEntriesAreChecked() {
    assertThat(problems("""
        tools:
          "": { requires: [a] }
          db_query: { cache: 5m, cache_scope: everyone, requires: [""] }
        resources:
          "file://*": { cache: 5m }
        prompts:
          "db_*":
            messages: [{ role: user, text: hi }]
          "bad name": {}
          review:
            arguments:
              - { name: code }
              - { name: code }
              - { name: "a.b" }
            messages:
              - { role: system, text: "{{ lang }} and {{code}} and {{lang}}" }
              - { text: hi }
          lonely:
            arguments: [{ name: x }]
        """)).containsExactly(
        "switchboard.yaml:2:3: tools: a name or glob must not be empty",
        "switchboard.yaml:3:39: invalid value 'everyone' for tools.db_query.cache_scope; expected principal or shared",
        "switchboard.yaml:3:60: tools.db_query.requires[0]: must not be empty",
        "switchboard.yaml:5:17: unknown key 'cache' in resources.file://*; known keys: requires",
        "switchboard.yaml:8:5: prompts.db_*.messages: a glob entry only sets requires for the backend prompts it"
            + " matches; messages need a plain prompt name",
        "switchboard.yaml:9:3: invalid prompt name 'bad name' in prompts; expected 1 to 64 letters, digits, '_', '.'"
            + " or '-' (or a glob with * and ?)",
        "switchboard.yaml:13:17: prompts.review.arguments[1].name: duplicate argument 'code'",
        "switchboard.yaml:14:17: invalid argument name 'a.b' for prompts.review.arguments[2].name; expected 1 to 64"
            + " letters, digits, '_' or '-'",
        "switchboard.yaml:16:17: invalid value 'system' for prompts.review.messages[0].role; expected user or"
            + " assistant",
        "switchboard.yaml:16:31: prompts.review.messages[0].text: placeholder {{lang}} is not a declared argument;"
            + " declared: code, a.b",
        "switchboard.yaml:17:9: prompts.review.messages[1]: missing role",
        "switchboard.yaml:19:5: prompts.lonely.arguments: arguments need messages that use them");
  }

  @Test
  void cacheAndAuditValuesAreChecked() {
    assertThat(problems("""
        cache:
          default_ttl: forever
          store: postgres://db
          max_size: 64 megs
          store_timeout: 0ms
        audit:
          file: ""
        """)).containsExactly(
        "switchboard.yaml:2:16: invalid duration 'forever' for cache.default_ttl; expected e.g. 500ms, 30s, 5m, 1h",
        "switchboard.yaml:3:10: invalid store 'postgres://db' for cache.store; expected memory or"
            + " redis://HOST[:PORT][/DB] (rediss:// for TLS)",
        "switchboard.yaml:4:13: invalid size '64 megs' for cache.max_size; expected e.g. 512KiB, 64MiB, 1GiB, 100MB"
            + " or a number of bytes",
        "switchboard.yaml:5:18: invalid duration '0ms' for cache.store_timeout; must be greater than 0",
        "switchboard.yaml:7:9: audit.file: must not be empty");
  }

  @Test
  void allProblemsAreReportedInFileOrder() {
    assertThat(problems("""
        listen: nowhere
        servers:
          web:
            url: http://127.0.0.1:9001/mcp
            headers: { Authorization: "Bearer ${WEB_TOKEN}" }
            prefx: web_
        cache: { max_size: lots }
        hub: { page_size: many }
        """)).containsExactly(
        "switchboard.yaml:1:9: invalid listen address 'nowhere' for listen; expected HOST:PORT like 127.0.0.1:8080"
            + " or [::1]:8080, or a port number",
        "switchboard.yaml:5:31: servers.web.headers.Authorization: environment variable WEB_TOKEN is not set"
            + " (use ${WEB_TOKEN:-default} for a default)",
        "switchboard.yaml:6:5: unknown key 'prefx' in servers.web; did you mean 'prefix'?",
        "switchboard.yaml:7:20: invalid size 'lots' for cache.max_size; expected e.g. 512KiB, 64MiB, 1GiB, 100MB"
            + " or a number of bytes",
        "switchboard.yaml:8:19: hub.page_size: expected an integer from 1 to 10000, got 'many'");
  }

  @Test
  void yamlSyntaxErrorIsReportedWithItsPosition() {
    assertThat(problems("""
        servers:
          db:
            command: [node, server.js
        """)).containsExactly("switchboard.yaml:4:1: invalid YAML: expected ',' or ']', but got <stream end>"
        + " (while parsing a flow sequence at line 3, column 14)");
    assertThat(problems("""
        servers:
          db: command: [node]
        """)).containsExactly("switchboard.yaml:2:14: invalid YAML: mapping values are not allowed here");
    assertThat(problems("servers:\n\tdb: {}\n")).containsExactly("switchboard.yaml:2:1: invalid YAML: found"
        + " character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)"
        + " (while scanning for the next token)");
  }

  @Test
  void builtInDemoNeverThrowsAConfigException() {
    assertThat(ConfigLoader.builtInDemo(Map.of("UNUSED", "x")).servers()).hasSize(3);
    assertThatThrownBy(() -> ConfigLoader.parse("servers: 5", ConfigLoader.DEMO_SOURCE_NAME, null, Map.of()))
        .hasMessage("<built-in demo config>:1:10: servers: expected a map of server names to settings, got a number");
  }
}
