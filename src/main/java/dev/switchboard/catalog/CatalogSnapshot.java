package dev.switchboard.catalog;

import dev.switchboard.backend.ListKind;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged catalog at one moment: per kind, the entries in exposed order (config order of
 * servers, then each backend's own order) and an index by key. Immutable.
 */
public final class CatalogSnapshot {
  public static final CatalogSnapshot EMPTY = new CatalogSnapshot(0, new EnumMap<>(ListKind.class));

  private final long version;
  private final Map<ListKind, List<CatalogEntry>> lists;
  private final Map<ListKind, Map<String, CatalogEntry>> index = new EnumMap<>(ListKind.class);

  CatalogSnapshot(long version, Map<ListKind, List<CatalogEntry>> lists) {
    this.version = version;
    this.lists = new EnumMap<>(ListKind.class);
    for (ListKind kind : ListKind.values()) {
      List<CatalogEntry> entries = List.copyOf(lists.getOrDefault(kind, List.of()));
      this.lists.put(kind, entries);
      Map<String, CatalogEntry> byKey = new LinkedHashMap<>();
      entries.forEach(e -> byKey.put(e.key(), e));
      index.put(kind, byKey);
    }
  }

  /** Increments whenever the content changes. */
  public long version() {
    return version;
  }

  public List<CatalogEntry> list(ListKind kind) {
    return lists.get(kind);
  }

  /** The entry with this exposed name, URI or template, or null. */
  public CatalogEntry find(ListKind kind, String key) {
    return index.get(kind).get(key);
  }

  boolean sameContent(Map<ListKind, List<CatalogEntry>> other) {
    for (ListKind kind : ListKind.values()) {
      if (!lists.get(kind).equals(List.copyOf(other.getOrDefault(kind, List.of())))) {
        return false;
      }
    }
    return true;
  }
}
