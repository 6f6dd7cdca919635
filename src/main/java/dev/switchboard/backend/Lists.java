package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.CacheHint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetching a whole list from a backend, following its own cursors: stops at a repeated cursor or
 * after {@value #MAX_PAGES} pages (with a warning), and tolerates a declared list the backend does
 * not answer. Both eras list the same way.
 */
final class Lists {
  private static final Logger log = LoggerFactory.getLogger(Lists.class);
  static final int MAX_PAGES = 1000;

  /** A fetched list and the caching hint its pages gave (the most restrictive), or null for none. */
  record Listed(List<ObjectNode> items, CacheHint hint) {}

  private Lists() {}

  static Listed all(String backend, BackendConnection c, ListKind kind, Duration timeout) {
    List<ObjectNode> items = new ArrayList<>();
    Set<String> seenCursors = new HashSet<>();
    String cursor = null;
    CacheHint hint = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      ObjectNode params = Json.object();
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      JsonNode result;
      try {
        result = c.call(kind.method, params, CallContext.internal(), timeout, timeout);
      } catch (McpError e) {
        if (e.code() == McpError.METHOD_NOT_FOUND) {
          log.warn("backend={} declares '{}' but does not answer {}", backend, kind.capability, kind.method);
          return new Listed(items, hint);
        }
        throw e;
      }
      CacheHint pageHint = CacheHint.of(result);
      hint = hint == null ? pageHint : hint.and(pageHint);
      JsonNode array = result.get(kind.field);
      if (array != null && array.isArray()) {
        for (JsonNode item : array) {
          if (item instanceof ObjectNode object) {
            items.add(object);
          }
        }
      }
      cursor = Json.text(result, "nextCursor");
      if (cursor == null || cursor.isEmpty()) {
        return new Listed(items, hint);
      }
      if (!seenCursors.add(cursor)) {
        log.warn("backend={} repeated cursor '{}' in {}; stopping there", backend, Snippet.of(cursor), kind.method);
        return new Listed(items, hint);
      }
    }
    log.warn("backend={} returned more than {} pages for {}; stopping there", backend, MAX_PAGES, kind.method);
    return new Listed(items, hint);
  }
}
