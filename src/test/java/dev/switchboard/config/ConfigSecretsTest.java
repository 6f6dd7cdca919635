package dev.switchboard.config;

import static dev.switchboard.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets never appear in problem lines: values of {@code env}, {@code headers}, {@code token},
 * {@code token_sha256}, values from {@code ${...}}, and passwords inside URLs, even when the problem is
 * about that very value or a value right next to it.
 */
class ConfigSecretsTest {
  private static final String SECRET = "s3cr3t-value";
  private static final Map<String, String> ENV = Map.of("SECRET", SECRET, "TEMPLATE", SECRET + " {{leak}}");

  @Test
  void noProblemLineContainsASecret() {
    List<String> problems = problems("""
        listen: ${SECRET}
        hub:
          request_timeout: ${SECRET}
          page_size: ${SECRET}
          startup_wait: "${SECRET}s"
        servers:
          web:
            url: "ftp://user:s3cr3t-value@example.com/mcp"
            headers: { Authorization: s3cr3t-value, X-Token: "${SECRET}", X-Bad: [s3cr3t-value] }
            transport: ${SECRET}
            prefix: "${SECRET}!"
            default: ${SECRET}
            env: { PASSWORD: s3cr3t-value }
          db:
            command: [node, { s3cr3t-value: 1 }]
            env: { PASSWORD: s3cr3t-value, API_KEY: "${SECRET}", BAD: { nested: s3cr3t-value }, EMPTY: }
            headers: { Authorization: s3cr3t-value }
            timeout: ${SECRET}
            cwd: "${MISSING}"
          remote:
            url: ${SECRET}
        users:
          alice: { token: s3cr3t-value, token_sha256: s3cr3t-value, capabilities: [s3cr3t-value, 5] }
          bob: { token_sha256: s3cr3t-value }
          carol: { token: "${SECRET}" }
          dave: { token: "${SECRET}" }
          erin: { token: [s3cr3t-value] }
        stdio: { user: "${SECRET}" }
        auth: { jwt: { jwks_url: "${SECRET}", issuer: x, algorithms: ["${SECRET}", "HS${SECRET}"] } }
        tools: { t: { cache: "${SECRET}", cache_scope: "${SECRET}" } }
        prompts:
          p:
            arguments: [{ name: "${SECRET}" }]
            messages: [{ role: "${SECRET}", text: "${TEMPLATE}" }]
        cache: { store: "redis://:s3cr3t-value@host:bad", max_size: "${SECRET}", store_timeout: "${SECRET}" }
        admin: { token: s3cr3t-value, token_sha256: s3cr3t-value }
        """, ENV);

    assertThat(problems).hasSizeGreaterThanOrEqualTo(30);
    assertThat(problems).noneMatch(line -> line.contains("s3cr3t"));
  }

  @Test
  void secretProblemsStillSayWhatIsWrong() {
    List<String> problems = problems("""
        servers:
          web:
            url: "ftp://user:s3cr3t-value@example.com/mcp"
        users:
          bob: { token_sha256: s3cr3t-value }
          carol: { token: "${SECRET}" }
          dave: { token: "${SECRET}" }
        prompts:
          p:
            messages: [{ role: user, text: "${TEMPLATE}" }]
        cache: { store: "redis://:s3cr3t-value@host:bad" }
        """, ENV);

    assertThat(problems).containsExactly(
        "switchboard.yaml:3:10: invalid URL 'ftp://***@example.com/mcp' for servers.web.url; expected http:// or"
            + " https:// with a host, like http://127.0.0.1:9001/mcp",
        "switchboard.yaml:5:24: users.bob.token_sha256: expected the SHA-256 of the token as 64 hexadecimal"
            + " characters",
        "switchboard.yaml:7:3: users.dave: has the same token as users.carol; a token must name one user",
        "switchboard.yaml:10:36: prompts.p.messages[0].text: a placeholder is not a declared argument;"
            + " no arguments are declared",
        "switchboard.yaml:11:17: invalid store 'redis://***@host:bad' for cache.store; expected memory or"
            + " redis://HOST[:PORT][/DB] (rediss:// for TLS)");
  }

  @Test
  void argumentNameFromTheEnvironmentIsListedAsWritten() {
    assertThat(problems("""
        prompts:
          p:
            arguments: [{ name: "${SECRET}" }]
            messages: [{ role: user, text: "{{other}}" }]
        """, ENV)).containsExactly("switchboard.yaml:4:36: prompts.p.messages[0].text: placeholder {{other}} is not"
        + " a declared argument; declared: ${SECRET}");
  }

  @Test
  void parsedSecretsStayOutOfToString() throws Exception {
    SwitchboardConfig config = ConfigLoader.parse("""
        servers:
          web: { url: http://x/mcp, headers: { Authorization: "${SECRET}" } }
          db: { command: [node], env: { PASSWORD: "${SECRET}" } }
        users: { alice: { token: "${SECRET}" } }
        admin: { token: "${SECRET}" }
        """, "switchboard.yaml", null, ENV);

    assertThat(config.servers().get("web").headers()).containsEntry("Authorization", SECRET);
    assertThat(config.toString()).doesNotContain(SECRET);
  }
}
