package dev.switchboard.catalog;

import dev.switchboard.jsonrpc.McpError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Pagination of merged lists with opaque cursors. A cursor records the position and the key of the
 * last item given, so a page after a catalog change resumes after that item rather than skipping
 * or repeating by offset alone.
 */
public final class Pages {
  private static final String PREFIX = "sb1:";

  private Pages() {}

  /** One page of a list. */
  public record Page(List<CatalogEntry> items, String nextCursor) {}

  /**
   * @param cursor a cursor from an earlier page, or null for the first page
   * @throws McpError invalid params when the cursor is not one this hub gave out
   */
  public static Page page(List<CatalogEntry> items, String cursor, int pageSize) {
    int from = cursor == null ? 0 : resume(items, cursor);
    int to = Math.min(items.size(), from + pageSize);
    String next = to < items.size() ? encode(to, items.get(to - 1).key()) : null;
    return new Page(items.subList(from, to), next);
  }

  private static int resume(List<CatalogEntry> items, String cursor) {
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(cursor);
    }
    if (!decoded.startsWith(PREFIX)) {
      throw invalid(cursor);
    }
    int colon = decoded.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw invalid(cursor);
    }
    int offset;
    try {
      offset = Integer.parseInt(decoded.substring(PREFIX.length(), colon));
    } catch (NumberFormatException e) {
      throw invalid(cursor);
    }
    if (offset < 0) {
      throw invalid(cursor);
    }
    String lastKey = decoded.substring(colon + 1);
    if (offset > 0 && offset <= items.size() && items.get(offset - 1).key().equals(lastKey)) {
      return offset;
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).key().equals(lastKey)) {
        return i + 1;
      }
    }
    return Math.min(offset, items.size());
  }

  private static String encode(int offset, String lastKey) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((PREFIX + offset + ":" + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  private static McpError invalid(String cursor) {
    String shown = cursor.length() > 40 ? cursor.substring(0, 40) + "…" : cursor;
    return McpError.invalidParams("invalid cursor '" + shown + "'; use the nextCursor of a previous page");
  }
}
