package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;

/** What the two HTTP transports share: the client, header checks, and error responses they synthesize. */
final class HttpMessages {
  static final int MAX_LINE = 64 * 1024 * 1024;
  /** Headers java.net.http sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    RESTRICTED.addAll(Set.of("connection", "content-length", "expect", "host", "upgrade"));
  }

  private HttpMessages() {}

  static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        // The default executor is an unbounded cached pool of platform threads: one more for each
        // concurrent backend call (61 under 64 concurrent calls in bench/run http).
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }

  /** Checks configured headers up front, naming the bad one (never its value). */
  static void checkHeaders(String backend, Map<String, String> headers) {
    for (String name : headers.keySet()) {
      if (RESTRICTED.contains(name)) {
        throw new IllegalArgumentException("Backend '" + backend + "': header '" + name + "' is set by the hub and cannot be configured");
      }
    }
  }

  static HttpRequest.Builder withHeaders(HttpRequest.Builder builder, Map<String, String> headers) {
    headers.forEach(builder::header);
    return builder;
  }

  /** An error response for our own request {@code id}, delivered as if the backend had sent it. */
  static ObjectNode errorFor(JsonNode id, String message) {
    return JsonRpc.error(id, McpError.backendUnavailable(message));
  }

  static boolean isRequest(ObjectNode message) {
    return message.has("method") && message.has("id");
  }

  static String bodySnippet(byte[] body) {
    return body.length == 0 ? "(empty body)" : Snippet.of(body);
  }

  static JsonNode parseOrNull(byte[] body) {
    try {
      return Json.parse(body, 0, body.length);
    } catch (McpError e) {
      return null;
    }
  }
}
