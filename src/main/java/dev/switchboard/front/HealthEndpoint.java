package dev.switchboard.front;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Hub;
import dev.switchboard.backend.Backend;
import dev.switchboard.backend.BackendStatus;
import dev.switchboard.jsonrpc.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /health} (every check: "healthy" or "degraded" with 200 — degraded when only the cache
 * store is unreachable — or "unhealthy" with 503), {@code /health/live} (200 while serving) and
 * {@code /health/ready} (200 once the catalog is loaded). No token needed; nothing secret is
 * shown: no tokens, environment values, command lines, or backend stderr.
 */
final class HealthEndpoint {
  private final Hub hub;
  private final HttpFront front;

  HealthEndpoint(Hub hub, HttpFront front) {
    this.hub = hub;
    this.front = front;
  }

  void full(ServerRequest req, ServerResponse res) {
    ObjectNode body = Json.object();
    ObjectNode checks = Json.object();
    boolean healthy = !front.draining();
    ObjectNode server = checks.putObject("server");
    server.put("status", front.draining() ? "draining" : "up");
    server.put("uptimeSeconds", Duration.between(hub.started(), Instant.now()).toSeconds());
    server.put("sessions", front.httpSessions());
    server.put("webSockets", front.webSockets());
    ObjectNode backends = checks.putObject("backends");
    for (Backend backend : hub.backends().values()) {
      BackendStatus status = backend.health();
      healthy &= status == BackendStatus.UP;
      ObjectNode entry = backends.putObject(backend.name());
      entry.put("status", status == BackendStatus.STOPPED ? "down" : status.label());
      entry.put("tools", backend.listing().tools().size());
      entry.put("restarts", backend.restarts());
      Instant lastOk = backend.lastOk();
      if (lastOk == null) {
        entry.putNull("lastOk");
      } else {
        entry.put("lastOk", lastOk.toString());
      }
      String error = backend.publicError();
      if (error == null) {
        entry.putNull("error");
      } else {
        entry.put("error", error);
      }
    }
    ObjectNode cache = hub.cacheHealth();
    checks.set("cache", cache);
    // A cache outage degrades the hub but does not make it unhealthy: calls bypass the cache and
    // still succeed, so a load balancer should keep sending traffic (a 503 here would take every
    // instance sharing one Redis out of service at once).
    boolean degraded = !"up".equals(Json.text(cache, "status"));
    body.put("status", !healthy ? "unhealthy" : degraded ? "degraded" : "healthy");
    body.set("checks", checks);
    HttpReplies.json(res, healthy ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
  }

  void live(ServerRequest req, ServerResponse res) {
    ObjectNode body = Json.object().put("status", front.draining() ? "draining" : "live");
    HttpReplies.json(res, front.draining() ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200, body);
  }

  void ready(ServerRequest req, ServerResponse res) {
    boolean ready = hub.ready() && !front.draining();
    ObjectNode body = Json.object().put("status", ready ? "ready" : "starting");
    HttpReplies.json(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
  }
}
