package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.backend.BackendListing;
import dev.switchboard.backend.ListKind;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CatalogTest {
  private static BackendListing tools(String... names) {
    List<ObjectNode> items = new ArrayList<>();
    for (String name : names) {
      items.add(Json.object().put("name", name).put("description", "d " + name).put("custom", "kept"));
    }
    return new BackendListing(items, List.of(), List.of(), List.of(), null, null, null, null);
  }

  private static List<String> keys(CatalogSnapshot snapshot) {
    return snapshot.list(ListKind.TOOLS).stream().map(CatalogEntry::key).toList();
  }

  @Test
  void mergesInConfigOrderThenBackendOrderWithPrefixes() {
    Catalog catalog = new Catalog();
    CatalogSnapshot snapshot = catalog.rebuild(List.of(
        new Catalog.Source("db", "db_", tools("query", "list_tables")),
        new Catalog.Source("web", "web_", tools("get_weather"))));
    assertThat(keys(snapshot)).containsExactly("db_query", "db_list_tables", "web_get_weather");
    CatalogEntry entry = snapshot.find(ListKind.TOOLS, "db_query");
    assertThat(entry.server()).isEqualTo("db");
    assertThat(entry.backendKey()).isEqualTo("query");
    assertThat(entry.definition().get("name").asText()).isEqualTo("db_query");
    assertThat(entry.definition().get("custom").asText()).isEqualTo("kept");
  }

  @Test
  void theLaterServersToolIsDroppedOnACollision() {
    Catalog catalog = new Catalog();
    CatalogSnapshot snapshot = catalog.rebuild(List.of(
        new Catalog.Source("a", "", tools("search", "a_only")),
        new Catalog.Source("b", "", tools("search", "b_only"))));
    assertThat(keys(snapshot)).containsExactly("search", "a_only", "b_only");
    assertThat(snapshot.find(ListKind.TOOLS, "search").server()).isEqualTo("a");
  }

  @Test
  void invalidNamesAreDropped() {
    Catalog catalog = new Catalog();
    CatalogSnapshot snapshot = catalog.rebuild(List.of(new Catalog.Source("a", "p_",
        tools("ok", "has space", "x".repeat(70), "dots.and-dashes", "slash/no"))));
    assertThat(keys(snapshot)).containsExactly("p_ok", "p_dots.and-dashes");
  }

  @Test
  void theVersionChangesOnlyWhenTheContentChanges() {
    Catalog catalog = new Catalog();
    CatalogSnapshot first = catalog.rebuild(List.of(new Catalog.Source("a", "", tools("t"))));
    CatalogSnapshot same = catalog.rebuild(List.of(new Catalog.Source("a", "", tools("t"))));
    CatalogSnapshot changed = catalog.rebuild(List.of(new Catalog.Source("a", "", tools("t", "u"))));
    assertThat(same).isSameAs(first);
    assertThat(changed.version()).isEqualTo(first.version() + 1);
  }

  @Test
  void pagesWalkTheWholeListAndResumeAfterTheLastItemWhenTheListChanges() {
    Catalog catalog = new Catalog();
    String[] names = IntStream.range(0, 10).mapToObj(i -> "t" + i).toArray(String[]::new);
    CatalogSnapshot snapshot = catalog.rebuild(List.of(new Catalog.Source("a", "", tools(names))));
    Pages.Page first = Pages.page(snapshot.list(ListKind.TOOLS), null, 4);
    assertThat(first.items()).extracting(CatalogEntry::key).containsExactly("t0", "t1", "t2", "t3");
    // t1 disappears between pages: the next page still starts after t3, skipping nothing.
    List<String> fewer = new ArrayList<>(List.of(names));
    fewer.remove("t1");
    CatalogSnapshot changed = catalog.rebuild(List.of(new Catalog.Source("a", "", tools(fewer.toArray(String[]::new)))));
    Pages.Page second = Pages.page(changed.list(ListKind.TOOLS), first.nextCursor(), 4);
    assertThat(second.items()).extracting(CatalogEntry::key).containsExactly("t4", "t5", "t6", "t7");
    Pages.Page third = Pages.page(changed.list(ListKind.TOOLS), second.nextCursor(), 4);
    assertThat(third.items()).extracting(CatalogEntry::key).containsExactly("t8", "t9");
    assertThat(third.nextCursor()).isNull();
  }

  @Test
  void aCursorTheHubDidNotGiveIsInvalidParams() {
    assertThatThrownBy(() -> Pages.page(List.of(), "garbage!!", 10)).isInstanceOf(McpError.class)
        .satisfies(e -> assertThat(((McpError) e).code()).isEqualTo(-32602))
        .hasMessageContaining("invalid cursor");
  }
}
