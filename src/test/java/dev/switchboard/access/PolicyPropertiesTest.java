package dev.switchboard.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.backend.BackendListing;
import dev.switchboard.backend.ListKind;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogEntry;
import dev.switchboard.catalog.CatalogSnapshot;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.HubSettings;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.pipeline.AuthorizeStep;
import dev.switchboard.pipeline.Pipeline;
import dev.switchboard.pipeline.Reply;
import dev.switchboard.pipeline.Request;
import dev.switchboard.pipeline.RouteStep;
import dev.switchboard.session.HubServices;
import dev.switchboard.session.Session;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For random policies and principals, the names a principal can list are exactly the names it can
 * use — tools, prompts and resources — through the real session, catalog, policy and pipeline (a
 * final step stands in for the backends).
 */
class PolicyPropertiesTest {
  private static final List<String> CAPABILITIES = List.of("a", "b", "c", "d");
  private static final List<String> TOOLS = List.of("query", "list", "drop", "read", "write", "q2");
  private static final List<String> URIS = List.of("file:///a.txt", "file:///b/c.md", "db://t1", "db://t2");

  /** A random config: policy entries (exact names and globs) and per-server requirements. */
  record Scenario(String yaml, Set<String> principalCapabilities) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<List<String>> requires = Arbitraries.of(CAPABILITIES).list().ofMaxSize(2).uniqueElements();
    Arbitrary<String> toolPattern = Arbitraries.of("db_*", "fs_*", "db_query", "fs_read", "*", "db_q*", "fs_?ead", "nomatch");
    Arbitrary<String> uriPattern = Arbitraries.of("file:///*", "db://*", "db://t1", "*", "file:///b/*");
    Arbitrary<String> promptPattern = Arbitraries.of("db_*", "fs_p1", "*", "db_p?");
    Arbitrary<String> tools = Combinators.combine(toolPattern, requires).as((p, r) -> "  \"" + p + "\": { requires: " + r + " }\n")
        .list().ofMaxSize(4).map(list -> String.join("", new HashSet<>(list)));
    Arbitrary<String> resources = Combinators.combine(uriPattern, requires).as((p, r) -> "  \"" + p + "\": { requires: " + r + " }\n")
        .list().ofMaxSize(3).map(list -> String.join("", new HashSet<>(list)));
    Arbitrary<String> prompts = Combinators.combine(promptPattern, requires).as((p, r) -> "  \"" + p + "\": { requires: " + r + " }\n")
        .list().ofMaxSize(3).map(list -> String.join("", new HashSet<>(list)));
    Arbitrary<List<String>> serverRequires = requires;
    Arbitrary<Set<String>> principal = Arbitraries.of(CAPABILITIES).set().ofMaxSize(4);
    return Combinators.combine(tools, resources, prompts, serverRequires, serverRequires, principal)
        .as((t, r, p, dbRequires, fsRequires, caps) -> new Scenario(
            "servers:\n  db:\n    command: [x]\n    prefix: db_\n    requires: " + dbRequires + "\n"
                + "  fs:\n    command: [y]\n    prefix: fs_\n    requires: " + fsRequires + "\n"
                + (t.isEmpty() ? "" : "tools:\n" + dedupe(t))
                + (r.isEmpty() ? "" : "resources:\n" + dedupe(r))
                + (p.isEmpty() ? "" : "prompts:\n" + dedupe(p)), caps));
  }

  /** YAML keys must be unique: keep the first entry of each pattern. */
  private static String dedupe(String block) {
    Set<String> seen = new HashSet<>();
    StringBuilder out = new StringBuilder();
    for (String line : block.split("\n")) {
      String key = line.substring(0, line.indexOf(':', line.indexOf('"', 3)));
      if (seen.add(key)) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static BackendListing listing(String server) {
    List<ObjectNode> tools = new ArrayList<>();
    TOOLS.forEach(t -> tools.add(Json.object().put("name", t)));
    List<ObjectNode> prompts = List.of(Json.object().put("name", "p1"), Json.object().put("name", "p2"));
    List<ObjectNode> resources = new ArrayList<>();
    URIS.stream().filter(u -> server.equals("db") == u.startsWith("db:"))
        .forEach(u -> resources.add(Json.object().put("uri", u).put("name", u)));
    return new BackendListing(tools, prompts, resources, List.of(), null, null, null, null);
  }

  /** Real session, catalog, policy and routing; the last step answers for the backends. */
  private static final class TestHub implements HubServices {
    final CapabilityPolicy policy;
    final Catalog catalog = new Catalog();
    final Pipeline pipeline;

    TestHub(SwitchboardConfig config) {
      policy = new CapabilityPolicy(config);
      catalog.rebuild(List.of(new Catalog.Source("db", "db_", listing("db")), new Catalog.Source("fs", "fs_", listing("fs"))));
      pipeline = new Pipeline(List.of(new RouteStep(catalog::current, null), new AuthorizeStep(() -> policy),
          (request, chain) -> Reply.of(Json.object().put("served", request.target()))));
    }

    @Override public CatalogSnapshot catalog() { return catalog.current(); }
    @Override public void awaitStartup() {}
    @Override public boolean visible(Principal p, ListKind kind, CatalogEntry entry) {
      return policy.allows(p, kind, entry.key(), entry.server());
    }
    @Override public Reply execute(Request request) { return pipeline.execute(request); }
    @Override public ObjectNode capabilities() { return Json.object(); }
    @Override public String instructions() { return null; }
    @Override public HubSettings settings() { return HubSettings.DEFAULTS; }
    @Override public void setLogLevel(String level) {}
    @Override public Reply ping() { return Reply.of(Json.object()); }
    @Override public void closed(Session session) {}
    @Override public Runnable whenTokenExpires(Principal principal, Runnable action) {
      return () -> {};
    }
  }

  private static Set<String> listed(Session session, String method, String field, String key) {
    ObjectNode response = session.request(JsonRpc.request(Json.MAPPER.getNodeFactory().numberNode(1), method, Json.object()), n -> {});
    Set<String> names = new HashSet<>();
    response.get("result").get(field).forEach(item -> names.add(item.get(key).asText()));
    return names;
  }

  private static boolean usable(Session session, String method, String field, String name) {
    ObjectNode params = Json.object().put(field, name);
    ObjectNode response = session.request(JsonRpc.request(Json.MAPPER.getNodeFactory().numberNode(2), method, params), n -> {});
    return response.has("result");
  }

  @Property(tries = 200)
  void whatAPrincipalCanListIsExactlyWhatItCanUse(@ForAll("scenarios") Scenario scenario) throws Exception {
    SwitchboardConfig config = ConfigLoader.parse(scenario.yaml(), "property.yaml", null, Map.of());
    TestHub hub = new TestHub(config);
    Session session = new Session(hub, new Principal("p", scenario.principalCapabilities(), false), m -> {});

    Set<String> allTools = new HashSet<>();
    hub.catalog().list(ListKind.TOOLS).forEach(e -> allTools.add(e.key()));
    Set<String> callableTools = new HashSet<>();
    for (String tool : allTools) {
      if (usable(session, "tools/call", "name", tool)) {
        callableTools.add(tool);
      }
    }
    assertThat(listed(session, "tools/list", "tools", "name")).isEqualTo(callableTools);

    Set<String> allPrompts = new HashSet<>();
    hub.catalog().list(ListKind.PROMPTS).forEach(e -> allPrompts.add(e.key()));
    Set<String> usablePrompts = new HashSet<>();
    for (String prompt : allPrompts) {
      if (usable(session, "prompts/get", "name", prompt)) {
        usablePrompts.add(prompt);
      }
    }
    assertThat(listed(session, "prompts/list", "prompts", "name")).isEqualTo(usablePrompts);

    Set<String> readable = new HashSet<>();
    for (String uri : URIS) {
      if (usable(session, "resources/read", "uri", uri)) {
        readable.add(uri);
      }
    }
    assertThat(listed(session, "resources/list", "resources", "uri")).isEqualTo(readable);
  }

  @Property(tries = 50)
  void aHiddenItemAnswersExactlyLikeOneThatDoesNotExist(@ForAll("scenarios") Scenario scenario) throws Exception {
    SwitchboardConfig config = ConfigLoader.parse(scenario.yaml(), "property.yaml", null, Map.of());
    TestHub hub = new TestHub(config);
    Session session = new Session(hub, new Principal("p", scenario.principalCapabilities(), false), m -> {});
    JsonNode missing = session.request(JsonRpc.request(Json.MAPPER.getNodeFactory().numberNode(3), "tools/call",
        Json.object().put("name", "db_nonexistent")), n -> {}).get("error");
    for (String tool : TOOLS) {
      ObjectNode response = session.request(JsonRpc.request(Json.MAPPER.getNodeFactory().numberNode(4), "tools/call",
          Json.object().put("name", "db_" + tool)), n -> {});
      if (response.has("error")) {
        assertThat(response.get("error").get("code")).isEqualTo(missing.get("code"));
        assertThat(response.get("error").get("message").asText())
            .isEqualTo(missing.get("message").asText().replace("db_nonexistent", "db_" + tool));
      }
    }
  }
}
