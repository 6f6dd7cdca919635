package dev.switchboard.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.access.Principal;
import dev.switchboard.backend.BackendListing;
import dev.switchboard.backend.CallContext;
import dev.switchboard.backend.ListKind;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.cache.ResultCache;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.config.ItemPolicyConfig;
import dev.switchboard.config.ItemPolicyConfig.CacheScope;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** CacheStep in a real pipeline with a fake clock and a scripted last step standing in for the backend. */
class CacheStepTest {
  private static final Principal ALICE = new Principal("alice", Set.of(), false);
  private static final Principal BOB = new Principal("bob", Set.of(), false);

  private final FakeClock clock = new FakeClock();
  private final Map<String, ItemPolicyConfig> tools = new LinkedHashMap<>();
  private final Catalog catalog = new Catalog();
  /** What reached the "backend", in order. */
  private final List<Request> backendCalls = new CopyOnWriteArrayList<>();
  /** How the "backend" answers; default: a text naming the call number. */
  private Function<Request, Reply> backend = request -> Reply.of(text("answer " + backendCalls.size()));
  private ResultCache cache;
  private Pipeline pipeline;

  private void tool(String pattern, Duration ttl, CacheScope scope) {
    tools.put(pattern, new ItemPolicyConfig(pattern, List.of(), ttl, scope, null));
  }

  private void start(Duration defaultTtl, ObjectNode... listed) {
    cache = ResultCache.inMemory(new CachePolicy(tools, defaultTtl), 64L * 1024 * 1024, clock);
    catalog.rebuild(List.of(new Catalog.Source("srv", "", new BackendListing(List.of(listed), List.of(), List.of(),
        List.of(), null, null, null, null))));
    pipeline = new Pipeline(List.of(new CacheStep(cache, catalog::current), (request, chain) -> {
      backendCalls.add(request);
      return backend.apply(request);
    }));
  }

  private static ObjectNode text(String text) {
    ObjectNode result = Json.object();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }

  private static ObjectNode definition(String name, String... hints) {
    ObjectNode tool = Json.object().put("name", name);
    ObjectNode annotations = tool.putObject("annotations");
    for (String hint : hints) {
      annotations.put(hint, true);
    }
    return tool;
  }

  private Reply call(Principal principal, String tool, String arguments, CallContext context) {
    ObjectNode params = Json.object().put("name", tool);
    if (arguments != null) {
      params.set("arguments", Json.parse(arguments));
    }
    return pipeline.execute(new Request(principal, "tools/call", ListKind.TOOLS, tool, params, context,
        new Route("srv", tool, false)));
  }

  private JsonNode call(Principal principal, String tool, String arguments) {
    return call(principal, tool, arguments, CallContext.internal()).await();
  }

  private static String textOf(JsonNode result) {
    return result.path("content").path(0).path("text").asText();
  }

  @Test
  void secondCallWithinTtlIsAnsweredFromTheCacheAndMarkedAsHit() {
    tool("weather", Duration.ofMinutes(5), null);
    start(null);
    JsonNode first = call(ALICE, "weather", "{\"city\":\"Paris\"}");
    clock.advance(Duration.ofSeconds(30));
    JsonNode second = call(ALICE, "weather", "{\"city\":\"Paris\"}");
    assertThat(backendCalls).hasSize(1);
    assertThat(textOf(second)).isEqualTo(textOf(first)).isEqualTo("answer 1");
    assertThat(first.has("_meta")).isFalse();
    assertThat(Json.write(second.path("_meta").path(ResultCache.META_KEY))).isEqualTo("{\"hit\":true,\"ageMs\":30000}");
    assertThat(cache.stats().count("weather", "hits")).isEqualTo(1);
    assertThat(cache.stats().count("weather", "misses")).isEqualTo(1);
  }

  @Test
  void afterTheTtlTheBackendIsCalledAgain() {
    tool("weather", Duration.ofSeconds(10), null);
    start(null);
    call(ALICE, "weather", "{}");
    clock.advance(Duration.ofMillis(9_999));
    call(ALICE, "weather", "{}");
    assertThat(backendCalls).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(textOf(call(ALICE, "weather", "{}"))).isEqualTo("answer 2");
    assertThat(backendCalls).hasSize(2);
  }

  @Test
  void argumentOrderAndNumberSpellingHitOneEntryAndOtherArgumentsMiss() {
    tool("search", Duration.ofMinutes(1), null);
    start(null);
    call(ALICE, "search", "{\"a\":1,\"b\":2}");
    call(ALICE, "search", "{\"b\":2,\"a\":1.0}");
    assertThat(backendCalls).hasSize(1);
    call(ALICE, "search", "{\"a\":1,\"b\":3}");
    assertThat(backendCalls).hasSize(2);
  }

  @Test
  void onePrincipalsResultNeverReachesAnotherUnlessTheToolIsShared() {
    tool("mine", Duration.ofMinutes(1), null);
    tool("ours", Duration.ofMinutes(1), CacheScope.SHARED);
    start(null);
    call(ALICE, "mine", "{}");
    assertThat(textOf(call(BOB, "mine", "{}"))).isEqualTo("answer 2");
    assertThat(textOf(call(Principal.LOCAL, "mine", "{}"))).isEqualTo("answer 3");
    call(ALICE, "ours", "{}");
    assertThat(textOf(call(BOB, "ours", "{}"))).isEqualTo("answer 4");
    assertThat(backendCalls).hasSize(4);
  }

  @Test
  void errorsInputRequiredAndZeroTtlResultsAreNeverStored() {
    tool("t", Duration.ofMinutes(1), null);
    start(null);
    List<ObjectNode> answers = new ArrayList<>(List.of(
        (ObjectNode) text("boom").put("isError", true),
        (ObjectNode) Json.object().put("resultType", "input_required"),
        (ObjectNode) text("stale").put("ttlMs", 0),
        (ObjectNode) text("odd").put("ttlMs", "soon")));
    backend = request -> Reply.of(answers.removeFirst());
    for (int i = 0; i < 4; i++) {
      call(ALICE, "t", "{}");
    }
    assertThat(backendCalls).hasSize(4);
    assertThat(cache.stats().count("t", "notStored")).isEqualTo(4);
  }

  @Test
  void backendErrorsAreNotStored() {
    tool("t", Duration.ofMinutes(1), null);
    start(null);
    backend = request -> Reply.pending(CompletableFuture.failedFuture(McpError.backendUnavailable("Backend 'srv' is down")));
    assertThatThrownBy(() -> call(ALICE, "t", "{}")).hasMessage("Backend 'srv' is down");
    backend = request -> Reply.of(text("fine"));
    assertThat(textOf(call(ALICE, "t", "{}"))).isEqualTo("fine");
  }

  @Test
  void theResultsTtlMsShortensTheToolsTtlAndAHitShowsWhatRemains() {
    tool("t", Duration.ofMinutes(5), null);
    start(null);
    backend = request -> Reply.of(text("hinted").put("ttlMs", 2000));
    call(ALICE, "t", "{}");
    clock.advance(Duration.ofMillis(1500));
    JsonNode hit = call(ALICE, "t", "{}");
    assertThat(hit.path("ttlMs").asLong()).isEqualTo(500);
    clock.advance(Duration.ofMillis(500));
    call(ALICE, "t", "{}");
    assertThat(backendCalls).hasSize(2);
  }

  @Test
  void aPrivateResultOfASharedToolIsNotStored() {
    tool("ours", Duration.ofMinutes(1), CacheScope.SHARED);
    start(null);
    backend = request -> Reply.of(text("for " + request.principal().name()).put("cacheScope", "private"));
    call(ALICE, "ours", "{}");
    assertThat(textOf(call(BOB, "ours", "{}"))).isEqualTo("for bob");
  }

  @Test
  void aHitMergesIntoTheResultsMetaWithoutChangingTheStoredResult() {
    tool("t", Duration.ofMinutes(1), null);
    start(null);
    ObjectNode original = text("x");
    original.putObject("_meta").put("trace", "abc");
    backend = request -> Reply.of(original);
    call(ALICE, "t", "{}");
    JsonNode hit = call(ALICE, "t", "{}");
    assertThat(hit.path("_meta").path("trace").asText()).isEqualTo("abc");
    assertThat(hit.path("_meta").path(ResultCache.META_KEY).path("hit").asBoolean()).isTrue();
    ((ObjectNode) hit).put("content", "mutated by a client");
    ((ObjectNode) hit.get("_meta")).put("trace", "changed");
    JsonNode again = call(ALICE, "t", "{}");
    assertThat(textOf(again)).isEqualTo("x");
    assertThat(again.path("_meta").path("trace").asText()).isEqualTo("abc");
    assertThat(original.path("_meta").has(ResultCache.META_KEY)).isFalse();
  }

  @Test
  void defaultTtlCachesReadOnlyToolsAndNeverDestructiveOnes() {
    tool("*", Duration.ofMinutes(1), null);
    start(Duration.ofSeconds(60), definition("lookup", "readOnlyHint"), definition("drop", "destructiveHint"),
        definition("plain"));
    call(ALICE, "lookup", "{}");
    call(ALICE, "lookup", "{}");
    call(ALICE, "drop", "{}");
    call(ALICE, "drop", "{}");
    assertThat(backendCalls.stream().map(Request::target)).containsExactly("lookup", "drop", "drop");
  }

  @Test
  void concurrentIdenticalCallsMakeOneBackendCall() {
    tool("slow", Duration.ofMinutes(1), null);
    start(null);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    backend = request -> Reply.pending(answer);
    List<Reply> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      replies.add(call(ALICE, "slow", "{\"q\":1}", CallContext.internal()));
    }
    assertThat(backendCalls).hasSize(1);
    answer.complete(text("once"));
    for (Reply reply : replies) {
      assertThat(textOf(reply.await())).isEqualTo("once");
    }
    assertThat(cache.stats().count("slow", "collapsed")).isEqualTo(99);
    assertThat(replies.get(1).await().path("_meta").path(ResultCache.META_KEY).path("hit").asBoolean()).isTrue();
  }

  @Test
  void followersMakeTheirOwnCallWhenTheLeadersClientCancels() {
    tool("slow", Duration.ofMinutes(1), null);
    start(null);
    List<CompletableFuture<JsonNode>> answers = new CopyOnWriteArrayList<>();
    backend = request -> {
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      answers.add(answer);
      request.context().onCancel(() -> answer.completeExceptionally(new McpError(McpError.REQUEST_TIMEOUT, "Request cancelled")));
      return Reply.pending(answer);
    };
    CallContext leader = new CallContext(null, message -> {});
    call(ALICE, "slow", "{}", leader);
    Reply follower = call(ALICE, "slow", "{}", CallContext.internal());
    leader.cancel("the user gave up");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
    answers.get(1).complete(text("own"));
    assertThat(textOf(follower.await())).isEqualTo("own");
  }

  @Test
  void aFollowerOfAnotherPrincipalMakesItsOwnCallWhenTheResultIsPrivate() {
    tool("ours", Duration.ofMinutes(1), CacheScope.SHARED);
    start(null);
    List<CompletableFuture<JsonNode>> answers = new CopyOnWriteArrayList<>();
    backend = request -> {
      CompletableFuture<JsonNode> answer = new CompletableFuture<>();
      answers.add(answer);
      return Reply.pending(answer);
    };
    call(ALICE, "ours", "{}", CallContext.internal());
    Reply bob = call(BOB, "ours", "{}", CallContext.internal());
    answers.get(0).complete(text("alice's").put("cacheScope", "private"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() == 2);
    answers.get(1).complete(text("bob's").put("cacheScope", "private"));
    assertThat(textOf(bob.await())).isEqualTo("bob's");
  }

  @Test
  void aBackendRestartOrRelistDropsItsEntriesButAFirstStartDoesNot() {
    tool("t", Duration.ofMinutes(1), null);
    start(null);
    Object listing = new Object();
    cache.backendChanged("srv", 0, listing);
    cache.backendChanged("srv", 1, listing);
    call(ALICE, "t", "{}");
    cache.backendChanged("srv", 1, listing); // a status change, same process and listing
    call(ALICE, "t", "{}");
    assertThat(backendCalls).hasSize(1);
    cache.backendChanged("srv", 2, new Object()); // restarted
    clock.advance(Duration.ofMillis(1));
    call(ALICE, "t", "{}");
    assertThat(backendCalls).hasSize(2);
    cache.backendChanged("srv", 2, new Object()); // list_changed, re-listed
    clock.advance(Duration.ofMillis(1));
    call(ALICE, "t", "{}");
    assertThat(backendCalls).hasSize(3);
    cache.backendChanged("other", 5, listing);
    cache.backendChanged("other", 6, listing);
    call(ALICE, "t", "{}");
    assertThat(backendCalls).hasSize(3);
  }

  @Test
  void aResultThatArrivesAfterADropIsNotStored() throws Exception {
    tool("t", Duration.ofMinutes(1), null);
    start(null);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    backend = request -> Reply.pending(answer);
    Reply inFlight = call(ALICE, "t", "{}", CallContext.internal());
    cache.dropAll();
    answer.complete(text("from before the drop"));
    inFlight.await();
    clock.advance(Duration.ofMillis(1));
    backend = request -> Reply.of(text("fresh"));
    assertThat(textOf(call(ALICE, "t", "{}"))).isEqualTo("fresh");
  }

  @Test
  void callsWithMoreThanNameAndArgumentsAreNotCached() {
    tool("t", Duration.ofMinutes(1), null);
    start(null);
    for (int i = 0; i < 2; i++) {
      ObjectNode params = Json.object().put("name", "t");
      params.putObject("arguments");
      params.putObject("inputResponses");
      pipeline.execute(new Request(ALICE, "tools/call", ListKind.TOOLS, "t", params, CallContext.internal(),
          new Route("srv", "t", false))).await();
    }
    assertThat(backendCalls).hasSize(2);
  }

  @Test
  void otherMethodsPassThrough() {
    tool("*", Duration.ofMinutes(1), null);
    start(null);
    for (int i = 0; i < 2; i++) {
      pipeline.execute(new Request(ALICE, "prompts/get", ListKind.PROMPTS, "p", Json.object().put("name", "p"),
          CallContext.internal(), new Route("srv", "p", false))).await();
    }
    assertThat(backendCalls).hasSize(2);
  }
}
