package dev.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Access;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.ListKind;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.MetaKeys;
import dev.switchboard.protocol.Methods;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One {@code subscriptions/listen} stream: the principal's view of the catalog, watched for the kinds
 * the client opted in to. It is acknowledged first; then each change of a watched view sends that
 * kind's {@code list_changed}, and each update of a subscribed resource its
 * {@code resources/updated}, all tagged with the subscription id (the listen request's id). It ends
 * when the client goes away ({@link #cancel}) or the hub stops ({@link #end}: a final result first).
 *
 * <p>Messages go to a sink that must not block for long; they are sent under this object's lock, so
 * nothing overtakes the acknowledgment and list changes keep their order.
 */
public final class Subscription {
  private final JsonNode id;
  private volatile Principal principal;
  private final SubscriptionFilter filter;
  private final HubServices hub;
  private final Consumer<ObjectNode> out;
  private final Runnable onEnd;
  private final ObjectNode serverInfo;
  private final Map<ListKind, List<CatalogEntry>> lastView = new EnumMap<>(ListKind.class);
  private boolean ended;
  /** Who the stream runs as under new access rules (null: the same principal, refreshed). */
  private final Function<Access, Principal> rebind;

  Subscription(JsonNode id, Principal principal, Function<Access, Principal> rebind,
      SubscriptionFilter filter, HubServices hub, ObjectNode serverInfo, Consumer<ObjectNode> out, Runnable onEnd) {
    this.id = id;
    this.principal = principal;
    this.rebind = rebind;
    this.filter = filter;
    this.hub = hub;
    this.serverInfo = serverInfo;
    this.out = out;
    this.onEnd = onEnd;
  }

  public JsonNode id() {
    return id;
  }

  public Principal principal() {
    return principal;
  }

  public SubscriptionFilter filter() {
    return filter;
  }

  /** Takes the first look at each watched view, then acknowledges: a change from now on is reported. */
  synchronized void start(CatalogSnapshot snapshot) {
    for (ListKind kind : ListKind.values()) {
      if (filter.wants(kind)) {
        lastView.put(kind, Views.of(hub, principal, snapshot, kind));
      }
    }
    ObjectNode params = Json.object();
    params.set("notifications", filter.toJson());
    send(Methods.SUBSCRIPTIONS_ACKNOWLEDGED, params);
  }

  /** A new catalog: one {@code list_changed} per watched kind whose view changed (both resource lists share one). */
  synchronized void catalogChanged(CatalogSnapshot snapshot) {
    if (ended) {
      return;
    }
    boolean tools = changed(snapshot, ListKind.TOOLS);
    boolean prompts = changed(snapshot, ListKind.PROMPTS);
    boolean plain = changed(snapshot, ListKind.RESOURCES);
    boolean templates = changed(snapshot, ListKind.RESOURCE_TEMPLATES);
    if (tools) {
      send(Methods.TOOLS_LIST_CHANGED, Json.object());
    }
    if (prompts) {
      send(Methods.PROMPTS_LIST_CHANGED, Json.object());
    }
    if (plain || templates) {
      send(Methods.RESOURCES_LIST_CHANGED, Json.object());
    }
  }

  private boolean changed(CatalogSnapshot snapshot, ListKind kind) {
    List<CatalogEntry> before = lastView.get(kind);
    if (before == null) {
      return false;
    }
    List<CatalogEntry> now = Views.of(hub, principal, snapshot, kind);
    lastView.put(kind, now);
    return !now.equals(before);
  }

  /**
   * A resource changed: reported when this stream subscribed to its (exposed) URI and the principal may
   * see it ({@code entry} null: a resource the lists do not show, e.g. from a template, which the policy
   * checks when it is read).
   */
  synchronized void resourceUpdated(String uri, CatalogEntry entry) {
    if (entry != null && !principal.unrestricted() && !hub.visible(principal, ListKind.RESOURCES, entry)) {
      return;
    }
    if (!ended && filter.resourceUris().contains(uri)) {
      ObjectNode params = Json.object();
      params.put("uri", uri);
      send(Methods.RESOURCE_UPDATED, params);
    }
  }

  /** Sends one notification with the subscription id in {@code _meta} (the listen request's id, as the spec says). */
  private void send(String method, ObjectNode body) {
    ObjectNode params = Json.object();
    params.putObject("_meta").set(MetaKeys.SUBSCRIPTION_ID, id);
    params.setAll(body);
    out.accept(JsonRpc.notification(method, params));
  }

  /** The hub stops: answers the listen request with its (graceful) final result; nothing follows. */
  public void end() {
    ObjectNode result = Json.object();
    result.put("resultType", "complete");
    ObjectNode meta = result.putObject("_meta");
    meta.set(MetaKeys.SUBSCRIPTION_ID, id);
    meta.set(MetaKeys.SERVER_INFO, serverInfo);
    finish(JsonRpc.result(id, result));
  }

  /**
   * New access rules: the stream continues under the principal they give (its views are compared on
   * the next {@link #catalogChanged}); when they no longer admit it, the listen request is answered
   * with an error and the stream ends.
   */
  void accessChanged(Access access) {
    Principal next = rebind != null ? rebind.apply(access) : access.refresh(principal);
    if (next != null) {
      principal = next;
      return;
    }
    refuse("the reloaded config no longer admits principal '" + principal.name() + "'");
  }

  /** The principal's token expired: the listen request is answered with an error and the stream ends. */
  void tokenExpired() {
    refuse("the token of principal '" + principal.name() + "' expired; listen again with a fresh one");
  }

  private void refuse(String why) {
    finish(JsonRpc.error(id, McpError.invalidRequest("Unauthorized: " + why)));
  }

  /** The client went away or cancelled: the stream ends with no answer. */
  public void cancel() {
    finish(null);
  }

  /** Ends the stream once: {@code answer}, the listen request's response (null: none), is the last thing sent. */
  private void finish(ObjectNode answer) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      if (answer != null) {
        out.accept(answer);
      }
    }
    onEnd.run();
  }

  /** A principal's view of one list: what the one access policy lets it see. */
  static final class Views {
    private Views() {}

    static List<CatalogEntry> of(HubServices hub, Principal principal, CatalogSnapshot snapshot, ListKind kind) {
      List<CatalogEntry> all = snapshot.list(kind);
      if (principal.unrestricted()) {
        return all;
      }
      List<CatalogEntry> visible = new ArrayList<>(all.size());
      for (CatalogEntry entry : all) {
        if (hub.visible(principal, kind, entry)) {
          visible.add(entry);
        }
      }
      return List.copyOf(visible);
    }
  }
}
