package dev.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.backend.ListKind;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The notifications a {@code subscriptions/listen} stream opted in to; everything else stays off the stream.
 *
 * @param tools {@code toolsListChanged}
 * @param prompts {@code promptsListChanged}
 * @param resources {@code resourcesListChanged}
 * @param resourceUris {@code resourceSubscriptions}: URIs whose {@code notifications/resources/updated} is wanted
 */
public record SubscriptionFilter(boolean tools, boolean prompts, boolean resources, Set<String> resourceUris) {
  public static final SubscriptionFilter NONE = new SubscriptionFilter(false, false, false, Set.of());

  public SubscriptionFilter {
    resourceUris = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(resourceUris)); // keeps the client's order
  }

  /**
   * Reads {@code params.notifications}; absent means nothing opted in.
   *
   * @throws McpError {@code -32602} when a field has the wrong type
   */
  public static SubscriptionFilter of(JsonNode notifications) {
    if (notifications == null || notifications.isNull()) {
      return NONE;
    }
    if (!notifications.isObject()) {
      throw McpError.invalidParams("subscriptions/listen \"notifications\" must be an object");
    }
    Set<String> uris = new LinkedHashSet<>();
    JsonNode list = notifications.get("resourceSubscriptions");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw McpError.invalidParams("subscriptions/listen \"notifications.resourceSubscriptions\" must be an array of URIs");
      }
      for (JsonNode uri : list) {
        if (!uri.isTextual()) {
          throw McpError.invalidParams("subscriptions/listen \"notifications.resourceSubscriptions\" must hold strings, got " + uri);
        }
        uris.add(uri.textValue());
      }
    }
    return new SubscriptionFilter(flag(notifications, "toolsListChanged"), flag(notifications, "promptsListChanged"),
        flag(notifications, "resourcesListChanged"), uris);
  }

  private static boolean flag(JsonNode notifications, String field) {
    JsonNode value = notifications.get(field);
    if (value != null && !value.isNull() && !value.isBoolean()) {
      throw McpError.invalidParams("subscriptions/listen \"notifications." + field + "\" must be a boolean");
    }
    return value != null && value.asBoolean(false);
  }

  /** What the hub honours of this filter: list changes always, resource updates when {@code updates} is true. */
  public SubscriptionFilter honoured(boolean updates) {
    return new SubscriptionFilter(tools, prompts, resources, updates ? resourceUris : Set.of());
  }

  /** Whether list changes of this kind are wanted (both resource lists answer to {@code resourcesListChanged}). */
  public boolean wants(ListKind kind) {
    return switch (kind) {
      case TOOLS -> tools;
      case PROMPTS -> prompts;
      case RESOURCES, RESOURCE_TEMPLATES -> resources;
    };
  }

  /** The filter as the acknowledgment carries it: only what is on. */
  public ObjectNode toJson() {
    ObjectNode json = Json.object();
    if (tools) {
      json.put("toolsListChanged", true);
    }
    if (prompts) {
      json.put("promptsListChanged", true);
    }
    if (resources) {
      json.put("resourcesListChanged", true);
    }
    if (!resourceUris.isEmpty()) {
      ArrayNode uris = json.putArray("resourceSubscriptions");
      resourceUris.forEach(uris::add);
    }
    return json;
  }
}
