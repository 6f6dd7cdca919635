package dev.switchboard.config;

import static dev.switchboard.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ${VAR}} in a whole config: where it applies, and how its problems read. */
class ConfigInterpolationTest {
  private static SwitchboardConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    return ConfigLoader.parse(yaml, "switchboard.yaml", null, env);
  }

  @Test
  void setVariablesAndDefaultsAreUsedInEveryKindOfValue() throws Exception {
    SwitchboardConfig config = parse("""
        listen: ${LISTEN}
        hub: { request_timeout: "${TIMEOUT:-45s}", page_size: "${PAGE}" }
        servers:
          web:
            url: ${WEB_URL}
            headers: { Authorization: "Bearer ${WEB_TOKEN}" }
            default: ${WEB_DEFAULT:-false}
          db:
            command: ["${NODE:-node}", "db.js", "--url=${DB_URL:-jdbc:sqlite:demo.db}"]
        """, Map.of("LISTEN", "0.0.0.0:9000", "PAGE", "20", "WEB_URL", "https://example.com/mcp",
        "WEB_TOKEN", "abc", "DB_URL", "jdbc:postgresql://db/x"));

    assertThat(config.listen()).isEqualTo(new Listen("0.0.0.0", 9000));
    assertThat(config.hub().requestTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.hub().pageSize()).isEqualTo(20);
    assertThat(config.servers().get("web").url()).hasToString("https://example.com/mcp");
    assertThat(config.servers().get("web").headers()).containsEntry("Authorization", "Bearer abc");
    assertThat(config.servers().get("web").isDefault()).isFalse();
    assertThat(config.servers().get("db").command()).containsExactly("node", "db.js", "--url=jdbc:postgresql://db/x");
  }

  @Test
  void doubleDollarIsALiteralDollarBrace() throws Exception {
    SwitchboardConfig config = parse("""
        servers:
          sh:
            command: [sh, -c, "echo $${HOME} $HOME"]
        """, Map.of("HOME", "/root"));

    assertThat(config.servers().get("sh").command()).containsExactly("sh", "-c", "echo ${HOME} $HOME");
  }

  @Test
  void keysAreNotInterpolated() throws Exception {
    SwitchboardConfig config = parse("""
        servers:
          db:
            command: [node]
            env: { "${NAME}": value }
        tools:
          "${NAME}_*": {}
        """, Map.of("NAME", "X"));

    assertThat(config.servers().get("db").env()).containsOnlyKeys("${NAME}");
    assertThat(config.tools()).containsOnlyKeys("${NAME}_*");
  }

  @Test
  void missingVariableNamesTheVariableAndTheKey() {
    assertThat(problems("""
        servers:
          web:
            url: http://127.0.0.1:9001/mcp
            headers: { Authorization: "Bearer ${WEB_TOKEN}" }
        """)).containsExactly("switchboard.yaml:4:31: servers.web.headers.Authorization: environment variable"
        + " WEB_TOKEN is not set (use ${WEB_TOKEN:-default} for a default)");
  }

  @Test
  void eachMissingVariableIsReported() {
    assertThat(problems("""
        servers:
          db:
            command: ["${A}", "${B}-${C:-c}-${D}"]
        """)).containsExactly(
        "switchboard.yaml:3:15: servers.db.command[0]: environment variable A is not set (use ${A:-default} for a"
            + " default)",
        "switchboard.yaml:3:23: servers.db.command[1]: environment variable B is not set (use ${B:-default} for a"
            + " default)",
        "switchboard.yaml:3:23: servers.db.command[1]: environment variable D is not set (use ${D:-default} for a"
            + " default)");
  }

  @Test
  void unclosedReferenceIsAnError() {
    assertThat(problems("servers: { web: { url: \"http://${HOST/mcp\" } }")).containsExactly(
        "switchboard.yaml:1:24: servers.web.url: '${' without a closing '}' (write $${ for a literal ${)");
  }

  @Test
  void badValueFromTheEnvironmentIsShownAsWrittenInTheFile() {
    assertThat(problems("hub: { request_timeout: \"${TIMEOUT}\" }", Map.of("TIMEOUT", "five minutes")))
        .containsExactly("switchboard.yaml:1:25: invalid duration '${TIMEOUT}' for hub.request_timeout;"
            + " expected e.g. 500ms, 30s, 5m, 1h");
  }

  @Test
  void valueFromTheEnvironmentIsNeverInAMessage() {
    Map<String, String> env = Map.of("SECRET", "hunter2");
    List<String> problems = problems("""
        listen: ${SECRET}
        servers:
          web: { url: "${SECRET}", transport: "${SECRET}" }
        """, env);

    assertThat(problems).containsExactly(
        "switchboard.yaml:1:9: invalid listen address '${SECRET}' for listen; expected HOST:PORT like"
            + " 127.0.0.1:8080 or [::1]:8080, or a port number",
        "switchboard.yaml:3:15: invalid URL '${SECRET}' for servers.web.url; expected http:// or https:// with a"
            + " host, like http://127.0.0.1:9001/mcp",
        "switchboard.yaml:3:39: invalid value '${SECRET}' for servers.web.transport; expected auto,"
            + " streamable-http or sse");
    assertThat(String.join("\n", problems)).doesNotContain("hunter2");
  }
}
