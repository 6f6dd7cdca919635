package dev.switchboard.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.ListKind;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.config.HubSettings;
import dev.switchboard.pipeline.Reply;
import dev.switchboard.pipeline.Request;

/** What a session needs from the hub. Implemented by the hub; tests may supply their own. */
public interface HubServices {
  CatalogSnapshot catalog();

  /** Waits (up to {@code startup_wait}) for backends still on their first start. */
  void awaitStartup();

  /** Whether a principal may see (and so use) an entry: the one policy for listing and calling. */
  boolean visible(Principal principal, ListKind kind, CatalogEntry entry);

  /** Runs an item-targeted request through the pipeline. */
  Reply execute(Request request);

  /** The capabilities the hub announces in {@code initialize}. */
  ObjectNode capabilities();

  /** Instructions for clients, or null. */
  String instructions();

  HubSettings settings();

  /**
   * Answers a client's {@code ping} after checking the hub's own dependencies (the cache store),
   * without blocking longer than their deadline.
   */
  Reply ping();

  /** Fans a client's logging/setLevel out to the backends. */
  void setLogLevel(String level);

  /** The session ended; forget it. */
  void closed(Session session);

  /**
   * Runs {@code action} once when the principal's token expires (never for a principal without an
   * expiry, nor after the hub closed); returns what cancels it.
   */
  Runnable whenTokenExpires(Principal principal, Runnable action);
}
