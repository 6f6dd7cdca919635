package dev.switchboard.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters per exposed tool name, shown by {@code GET /admin/stats}. Thread-safe. */
public final class CacheStats implements CacheListener {
  private enum Counter { hits, collapsed, misses, bypasses, notStored, evictions, expirations }

  /** Tools counted one by one; the rest are counted together under {@value #OTHER}. */
  static final int MAX_TOOLS = 10_000;
  static final String OTHER = "(other)";

  private final Map<String, LongAdder[]> byTool = new ConcurrentHashMap<>();

  private void add(String tool, Counter counter) {
    if (byTool.size() >= MAX_TOOLS && !byTool.containsKey(tool)) {
      tool = OTHER; // names sent to a default server are the clients' to invent: keep the map bounded
    }
    byTool.computeIfAbsent(tool, t -> {
      LongAdder[] adders = new LongAdder[Counter.values().length];
      for (int i = 0; i < adders.length; i++) {
        adders[i] = new LongAdder();
      }
      return adders;
    })[counter.ordinal()].increment();
  }

  @Override public void hit(String tool) { add(tool, Counter.hits); }
  @Override public void collapsed(String tool) { add(tool, Counter.collapsed); }
  @Override public void miss(String tool) { add(tool, Counter.misses); }
  @Override public void bypass(String tool) { add(tool, Counter.bypasses); }
  @Override public void notStored(String tool) { add(tool, Counter.notStored); }
  @Override public void evicted(String tool) { add(tool, Counter.evictions); }
  @Override public void expired(String tool) { add(tool, Counter.expirations); }

  /** One counter of one tool (0 when never counted): hits, collapsed, misses, bypasses, notStored, evictions, expirations. */
  public long count(String tool, String counter) {
    LongAdder[] adders = byTool.get(tool);
    return adders == null ? 0 : adders[Counter.valueOf(counter).ordinal()].sum();
  }

  /**
   * {@code {"totals": {...}, "tools": {"NAME": {"hits": N, "collapsed": N, "misses": N, "bypasses": N,
   * "notStored": N, "evictions": N, "expirations": N}}}}, tools sorted by name.
   */
  public ObjectNode toJson() {
    ObjectNode json = Json.object();
    ObjectNode totals = json.putObject("totals");
    long[] sums = new long[Counter.values().length];
    ObjectNode tools = Json.object();
    for (Map.Entry<String, LongAdder[]> entry : new TreeMap<>(byTool).entrySet()) {
      ObjectNode tool = tools.putObject(entry.getKey());
      for (Counter counter : Counter.values()) {
        long value = entry.getValue()[counter.ordinal()].sum();
        tool.put(counter.name(), value);
        sums[counter.ordinal()] += value;
      }
    }
    for (Counter counter : Counter.values()) {
      totals.put(counter.name(), sums[counter.ordinal()]);
    }
    json.set("tools", tools);
    return json;
  }
}
