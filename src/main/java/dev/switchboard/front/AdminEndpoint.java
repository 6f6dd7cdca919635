package dev.switchboard.front;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Hub;
import dev.switchboard.cache.ResultCache;
import dev.switchboard.cache.StoreUnavailableException;
import dev.switchboard.config.ConfigException;
import dev.switchboard.jsonrpc.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, authorized by the admin token ({@code admin:} in the config, sent as
 * {@code Authorization: Bearer TOKEN}): {@code DELETE /admin/cache} drops every cached result,
 * {@code DELETE /admin/cache?tool=NAME} those of one exposed tool, {@code GET /admin/stats} shows
 * the cache store and its counters per tool, {@code POST /admin/reload} reloads the config's
 * access rules. Answers are JSON; a refusal is {@code {"error": "..."}} with 401 (no token), 403
 * (wrong token, or no {@code admin} configured).
 */
final class AdminEndpoint {
  private static final Logger log = LoggerFactory.getLogger(AdminEndpoint.class);

  private final Hub hub;
  private final ResultCache cache;

  AdminEndpoint(Hub hub) {
    this.hub = hub;
    this.cache = hub.cache();
  }

  /**
   * {@code POST /admin/reload}: re-reads the config file and applies its access rules and prompt
   * templates (as SIGHUP does). 200 with what was applied and what needs a restart; 400 with every
   * problem when the file is not valid (the running rules stay in force).
   */
  void reload(ServerRequest req, ServerResponse res) {
    if (!authorized(req, res)) {
      return;
    }
    try {
      Hub.Reloaded reloaded = hub.reload();
      ObjectNode body = Json.object();
      reloaded.applied().forEach(body.putArray("applied")::add);
      reloaded.restartNeeded().forEach(body.putArray("restartNeeded")::add);
      HttpReplies.json(res, Status.OK_200, body);
    } catch (ConfigException e) {
      log.warn("admin config reload refused; the running config stays in force:\n{}", e.getMessage());
      refuse(res, Status.BAD_REQUEST_400, "the config was not reloaded; the running one stays in force: " + e.getMessage());
    }
  }

  void dropCache(ServerRequest req, ServerResponse res) {
    if (!authorized(req, res)) {
      return;
    }
    Optional<String> tool = req.query().first("tool").asOptional();
    ObjectNode body = Json.object();
    try {
      if (tool.isPresent()) {
        if (tool.get().isEmpty()) {
          refuse(res, Status.BAD_REQUEST_400, "tool= needs an exposed tool name, like ?tool=web_get_weather");
          return;
        }
        long count = cache.dropTool(tool.get());
        body.put("dropped", count).put("tool", tool.get());
        log.info("admin dropped {} cached result(s) of tool={}", count, tool.get());
      } else {
        long count = cache.dropAll();
        body.put("dropped", count);
        log.info("admin dropped {} cached result(s) (all)", count);
      }
      HttpReplies.json(res, Status.OK_200, body);
    } catch (StoreUnavailableException e) {
      body.put("error", e.getMessage());
      body.put("pending", true);
      HttpReplies.json(res, Status.SERVICE_UNAVAILABLE_503, body);
    }
  }

  void stats(ServerRequest req, ServerResponse res) {
    if (authorized(req, res)) {
      HttpReplies.json(res, Status.OK_200, cache.statsJson());
    }
  }

  private boolean authorized(ServerRequest req, ServerResponse res) {
    String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
    switch (hub.access().admin().check(authorization)) {
      case VALID -> {
        return true;
      }
      case NOT_CONFIGURED -> refuse(res, Status.FORBIDDEN_403, "The admin API is off: configure admin: {token: ...}"
          + " (or token_sha256) in the config to use " + req.path().path());
      case MISSING -> {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        refuse(res, Status.UNAUTHORIZED_401, "Unauthorized: send Authorization: Bearer ADMIN_TOKEN (the admin token from the config)");
      }
      case INVALID -> refuse(res, Status.FORBIDDEN_403, "Forbidden: the token is not the admin token");
    }
    return false;
  }

  private static void refuse(ServerResponse res, Status status, String message) {
    HttpReplies.json(res, status, Json.object().put("error", message));
  }
}
