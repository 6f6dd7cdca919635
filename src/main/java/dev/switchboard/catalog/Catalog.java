package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.backend.BackendListing;
import dev.switchboard.backend.ListKind;
import dev.switchboard.jsonrpc.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges what the backends list into one catalog: servers in config order, each backend's items in
 * its own order; prefixes applied to tool and prompt names; names validated; on a collision the
 * later server's item is dropped with a warning naming both servers. Each distinct problem is
 * logged once, not on every rebuild. Thread-safe.
 */
public final class Catalog {
  private static final Logger log = LoggerFactory.getLogger(Catalog.class);
  /** The exposed-name rule for tools and prompts. */
  public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

  /** One server's contribution, in config order. */
  public record Source(String server, String prefix, BackendListing listing) {}

  private final Set<String> reported = new HashSet<>();
  private volatile CatalogSnapshot current = CatalogSnapshot.EMPTY;

  public CatalogSnapshot current() {
    return current;
  }

  /**
   * Rebuilds from the sources; returns the new snapshot, or the current one unchanged (same version)
   * when nothing a client could see changed.
   */
  public synchronized CatalogSnapshot rebuild(List<Source> sources) {
    Map<ListKind, List<CatalogEntry>> lists = new EnumMap<>(ListKind.class);
    Set<String> problems = new HashSet<>();
    for (ListKind kind : ListKind.values()) {
      lists.put(kind, merge(kind, sources, problems));
    }
    for (String problem : problems) {
      if (reported.add(problem)) {
        log.warn("{}", problem);
      }
    }
    reported.retainAll(problems); // a problem that went away may be reported again if it comes back
    CatalogSnapshot previous = current;
    if (previous.sameContent(lists)) {
      return previous;
    }
    current = new CatalogSnapshot(previous.version() + 1, lists);
    return current;
  }

  private static List<CatalogEntry> merge(ListKind kind, List<Source> sources, Set<String> problems) {
    List<CatalogEntry> entries = new ArrayList<>();
    Map<String, String> owners = new HashMap<>();
    boolean named = kind == ListKind.TOOLS || kind == ListKind.PROMPTS;
    String noun = switch (kind) {
      case TOOLS -> "tool";
      case PROMPTS -> "prompt";
      case RESOURCES -> "resource";
      case RESOURCE_TEMPLATES -> "resource template";
    };
    String keyField = switch (kind) {
      case TOOLS, PROMPTS -> "name";
      case RESOURCES -> "uri";
      case RESOURCE_TEMPLATES -> "uriTemplate";
    };
    for (Source source : sources) {
      for (ObjectNode item : source.listing().items(kind)) {
        String backendKey = Json.text(item, keyField);
        if (backendKey == null || backendKey.isEmpty()) {
          problems.add("Server '" + source.server() + "' listed a " + noun + " without a \"" + keyField + "\"; dropped");
          continue;
        }
        String key = named ? source.prefix() + backendKey : backendKey;
        if (named && !NAME.matcher(key).matches()) {
          problems.add("Server '" + source.server() + "' " + noun + " '" + printable(key) + "' is not a valid name "
              + "(1-64 of A-Z a-z 0-9 _ . -); dropped");
          continue;
        }
        String owner = owners.putIfAbsent(key, source.server());
        if (owner != null) {
          problems.add("The " + noun + " '" + printable(key) + "' of server '" + source.server() + "' collides with server '"
              + owner + "'; dropped the one from '" + source.server() + "'"
              + (named ? " (give one of them a prefix)" : ""));
          continue;
        }
        ObjectNode definition = item;
        if (named && !key.equals(backendKey)) {
          definition = item.deepCopy();
          definition.put("name", key);
        }
        entries.add(new CatalogEntry(key, source.server(), backendKey, definition));
      }
    }
    return entries;
  }

  private static String printable(String name) {
    String shown = name.length() > 80 ? name.substring(0, 80) + "…" : name;
    return shown.replaceAll("[\\p{Cntrl}]", "?");
  }
}
