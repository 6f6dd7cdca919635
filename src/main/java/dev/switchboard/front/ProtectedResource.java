package dev.switchboard.front;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Access;
import dev.switchboard.jsonrpc.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Set;
import java.util.TreeSet;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) at {@code /.well-known/oauth-protected-resource}
 * and its path-suffixed form for {@code /mcp}: which resource this is, which authorization server
 * issues its tokens (the JWT issuer), how tokens are sent (header only) and the scopes it knows.
 */
final class ProtectedResource {
  static final String PATH = "/.well-known/oauth-protected-resource";

  private final HttpFront front;

  ProtectedResource(HttpFront front) {
    this.front = front;
  }

  void serve(ServerRequest req, ServerResponse res) {
    String host = req.headers().first(HeaderNames.HOST).orElse(null);
    if (!front.origins().hostAllowed(host)) {
      res.status(Status.FORBIDDEN_403).send();
      return;
    }
    ObjectNode body = Json.object();
    body.put("resource", front.baseUrl(host) + "/mcp");
    Access access = front.hub().access(); // the rules in force, after any reload
    ArrayNode servers = body.putArray("authorization_servers");
    if (access.issuer() != null) {
      servers.add(access.issuer());
    }
    body.putArray("bearer_methods_supported").add("header");
    Set<String> scopes = new TreeSet<>(access.policy().mentioned());
    scopes.addAll(access.endpointRequires());
    ArrayNode scopeList = body.putArray("scopes_supported");
    scopes.forEach(scopeList::add);
    body.put("resource_name", "Switchboard MCP hub");
    HttpReplies.json(res, Status.OK_200, body);
  }
}
