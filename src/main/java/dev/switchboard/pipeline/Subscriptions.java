package dev.switchboard.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which handshake-era sessions are subscribed to which resource URI; updates go to the subscribers
 * only. Owners are sessions (compared by identity). Thread-safe.
 */
public final class Subscriptions {
  private final Map<String, Set<Object>> byUri = new HashMap<>();

  /** Adds a subscriber; true when it is the first one for the URI (the backend must be told). */
  public synchronized boolean add(String uri, Object owner) {
    Set<Object> owners = byUri.computeIfAbsent(uri, u -> new LinkedHashSet<>());
    boolean first = owners.isEmpty();
    owners.add(owner);
    return first;
  }

  /** Removes a subscriber; true when it was the last one for the URI (the backend must be told). */
  public synchronized boolean remove(String uri, Object owner) {
    Set<Object> owners = byUri.get(uri);
    if (owners == null || !owners.remove(owner)) {
      return false;
    }
    if (owners.isEmpty()) {
      byUri.remove(uri);
      return true;
    }
    return false;
  }

  public synchronized boolean contains(String uri, Object owner) {
    Set<Object> owners = byUri.get(uri);
    return owners != null && owners.contains(owner);
  }

  /** The subscribers of a URI, in the order they came. */
  public synchronized List<Object> owners(String uri) {
    Set<Object> owners = byUri.get(uri);
    return owners == null ? List.of() : new ArrayList<>(owners);
  }

  /** Every URI someone is subscribed to. */
  public synchronized java.util.Set<String> uris() {
    return java.util.Set.copyOf(byUri.keySet());
  }

  /** Forgets an owner everywhere; returns the URIs nobody is subscribed to any more. */
  public synchronized List<String> removeOwner(Object owner) {
    List<String> abandoned = new ArrayList<>();
    for (String uri : List.copyOf(byUri.keySet())) {
      if (remove(uri, owner)) {
        abandoned.add(uri);
      }
    }
    return abandoned;
  }
}
