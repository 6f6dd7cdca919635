package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.LineReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scriptable stdio MCP server for tests, run as a real child process (our MockWebServer). Its
 * behaviour comes from arguments:
 * <ul>
 *   <li>{@code --name N}: server name, and the text prefix of its echo results</li>
 *   <li>{@code --tools a,b,c}: tool names; each echoes {@code N:tool {arguments}}</li>
 *   <li>{@code --page-size K}: answer tools/list K tools at a time with cursors</li>
 *   <li>{@code --exit-at-start CODE}: write a line to stderr and exit at once</li>
 *   <li>{@code --garbage}: answer every line with a line that is not JSON</li>
 *   <li>{@code --record FILE}: append every message received to FILE, one JSON line each</li>
 *   <li>{@code --annotations a=readOnly,b=destructive,c=readOnly+destructive}: tool annotations
 *       ({@code readOnlyHint}, {@code destructiveHint}) in tools/list</li>
 *   <li>{@code --error-tools a,b}: listed tools that answer with {@code isError: true}</li>
 *   <li>{@code --count-calls}: echo results read {@code N:tool#K {arguments}}, K counting that tool's calls</li>
 *   <li>{@code --grandchild}: start a long-lived child process of its own (for process-tree tests)</li>
 * </ul>
 * Built-in tools besides the listed ones: {@code sleep {ms}}, {@code pid {}} (its pid and its
 * grandchild's), {@code crash {code}} (exits mid-call), {@code progress {count, interval_ms}},
 * {@code ask {rounds?=1, method?=elicitation/create, together?=1}} (asks the client {@code rounds}
 * times in a row, {@code together} questions at once each round, and answers with every reply),
 * {@code add_tool {name}} (adds a tool and sends tools/list_changed), {@code hang {}} (answers, then
 * never reads or answers anything again: a live process that is not healthy). An echo tool called
 * with an argument {@code _result: {...}} adds those fields to its result (e.g. {@code ttlMs},
 * {@code cacheScope}, {@code resultType}).
 */
public final class FakeBackend {
  private final String name;
  private final List<String> tools = new CopyOnWriteArrayList<>();
  private final int pageSize;
  private final boolean garbage;
  private final Path record;
  private final OutputStream out;
  private final Map<JsonNode, Thread> running = new ConcurrentHashMap<>();
  /** Our own requests to the client (via the hub), waiting for their answers, by id. */
  private final Map<String, java.util.concurrent.CompletableFuture<JsonNode>> asked = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger askIds = new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, String> annotations = new java.util.HashMap<>();
  private final List<String> errorTools = new ArrayList<>();
  private final boolean countCalls;
  private final Map<String, java.util.concurrent.atomic.AtomicLong> calls = new ConcurrentHashMap<>();
  private Process grandchild;
  private volatile boolean hung;

  private FakeBackend(Map<String, String> options, OutputStream out) {
    this.name = options.getOrDefault("--name", "fake");
    String list = options.getOrDefault("--tools", "");
    if (!list.isBlank()) {
      tools.addAll(Arrays.asList(list.split(",")));
    }
    this.pageSize = Integer.parseInt(options.getOrDefault("--page-size", "0"));
    this.garbage = options.containsKey("--garbage");
    this.record = options.containsKey("--record") ? Path.of(options.get("--record")) : null;
    for (String pair : options.getOrDefault("--annotations", "").split(",")) {
      if (pair.contains("=")) {
        annotations.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    if (!options.getOrDefault("--error-tools", "").isBlank()) {
      errorTools.addAll(Arrays.asList(options.get("--error-tools").split(",")));
    }
    this.countCalls = options.containsKey("--count-calls");
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    OutputStream protocol = new FileOutputStream(java.io.FileDescriptor.out);
    System.setOut(new PrintStream(new FileOutputStream(java.io.FileDescriptor.err), true));
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      options.put(args[i], flag ? "" : args[++i]);
    }
    if (options.containsKey("--exit-at-start")) {
      System.err.println("fake backend failing at start on purpose");
      System.exit(Integer.parseInt(options.get("--exit-at-start")));
    }
    FakeBackend backend = new FakeBackend(options, protocol);
    if (options.containsKey("--grandchild")) {
      backend.grandchild = new ProcessBuilder("sleep", "600").start();
    }
    System.err.println("fake backend " + backend.name + " ready (pid " + ProcessHandle.current().pid() + ")");
    backend.run();
    System.exit(0);
  }

  private void run() throws IOException {
    LineReader reader = new LineReader(System.in, 16 * 1024 * 1024);
    byte[] line;
    while ((line = reader.readLine()) != null) {
      while (hung) {
        java.util.concurrent.locks.LockSupport.park(); // the point of "hang": never read again
      }
      if (record != null) {
        byte[] entry = Arrays.copyOf(line, line.length + 1);
        entry[line.length] = '\n';
        Files.write(record, entry, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      if (garbage) {
        write("this is not JSON-RPC".getBytes(StandardCharsets.UTF_8));
        continue;
      }
      JsonNode message = Json.parse(line, 0, line.length);
      String method = JsonRpc.method(message);
      if (method == null) {
        java.util.concurrent.CompletableFuture<JsonNode> waiting = asked.remove(message.path("id").asText());
        if (waiting != null) {
          waiting.complete(message);
        }
        continue;
      }
      if (!message.has("id")) {
        if ("notifications/cancelled".equals(method)) {
          Thread t = running.get(JsonRpc.params(message).get("requestId"));
          if (t != null) {
            t.interrupt();
          }
        }
        continue;
      }
      JsonNode id = message.get("id");
      Thread worker = Thread.ofVirtual().unstarted(() -> {
        try {
          send(JsonRpc.result(id, handle(method, JsonRpc.params(message))));
        } catch (Failure e) {
          ObjectNode error = Json.object();
          error.put("jsonrpc", "2.0");
          error.set("id", id);
          error.putObject("error").put("code", e.code).put("message", e.getMessage());
          send(error);
        } catch (InterruptedException e) {
          // cancelled: no answer
        } finally {
          running.remove(id);
        }
      });
      running.put(id, worker);
      worker.start();
    }
    if (grandchild != null) {
      grandchild.destroy();
    }
  }

  private JsonNode handle(String method, ObjectNode params) throws InterruptedException {
    switch (method) {
      case "initialize": {
        ObjectNode result = Json.object();
        String version = Json.text(params, "protocolVersion");
        result.put("protocolVersion", version == null ? "2025-11-25" : version);
        ObjectNode capabilities = result.putObject("capabilities");
        capabilities.putObject("tools").put("listChanged", true);
        capabilities.putObject("logging");
        result.putObject("serverInfo").put("name", name).put("version", "1.0.0");
        return result;
      }
      case "ping", "logging/setLevel":
        return Json.object();
      case "tools/list":
        return listTools(Json.text(params, "cursor"));
      case "tools/call":
        return call(Json.text(params, "name"), Json.objectAt(params, "arguments"), params);
      default:
        throw new Failure(-32601, "Method not found: " + method);
    }
  }

  private ObjectNode listTools(String cursor) {
    List<String> all = new ArrayList<>(tools);
    all.addAll(List.of("sleep", "pid", "crash", "progress", "add_tool", "hang", "ask"));
    int from = cursor == null ? 0 : Integer.parseInt(cursor);
    int to = pageSize > 0 ? Math.min(all.size(), from + pageSize) : all.size();
    ObjectNode result = Json.object();
    ArrayNode array = result.putArray("tools");
    for (String tool : all.subList(from, to)) {
      ObjectNode t = array.addObject();
      t.put("name", tool);
      t.put("description", "fake tool " + tool + " of " + name);
      t.putObject("inputSchema").put("type", "object");
      String hints = annotations.get(tool);
      if (hints != null) {
        ObjectNode a = t.putObject("annotations");
        if (hints.contains("readOnly")) {
          a.put("readOnlyHint", true);
        }
        if (hints.contains("destructive")) {
          a.put("destructiveHint", true);
        }
      }
    }
    if (to < all.size()) {
      result.put("nextCursor", Integer.toString(to));
    }
    return result;
  }

  private JsonNode call(String tool, ObjectNode arguments, ObjectNode params) throws InterruptedException {
    ObjectNode args = arguments == null ? Json.object() : arguments;
    switch (tool) {
      case "sleep" -> Thread.sleep(args.path("ms").asLong(1000)); // the backend's own work, not test synchronization
      case "pid" -> {
        ObjectNode result = text(Long.toString(ProcessHandle.current().pid()));
        ObjectNode structured = result.putObject("structuredContent");
        structured.put("pid", ProcessHandle.current().pid());
        structured.put("grandchild", grandchild == null ? -1 : grandchild.pid());
        return result;
      }
      case "crash" -> {
        System.err.println("fake backend crashing on purpose");
        System.exit(args.path("code").asInt(3));
      }
      case "progress" -> {
        JsonNode token = params.path("_meta").get("progressToken");
        int count = args.path("count").asInt(3);
        for (int i = 1; i <= count; i++) {
          if (token != null) {
            ObjectNode p = Json.object();
            p.set("progressToken", token);
            p.put("progress", i);
            p.put("total", count);
            send(JsonRpc.notification("notifications/progress", p));
          }
          Thread.sleep(args.path("interval_ms").asLong(10));
        }
      }
      case "hang" -> hung = true;
      case "ask" -> {
        StringBuilder replies = new StringBuilder();
        String askedMethod = args.path("method").asText("elicitation/create");
        for (int round = 0; round < args.path("rounds").asInt(1); round++) {
          List<java.util.concurrent.CompletableFuture<JsonNode>> answers = new ArrayList<>();
          for (int q = 0; q < args.path("together").asInt(1); q++) {
            String askId = "fake-ask-" + askIds.incrementAndGet();
            java.util.concurrent.CompletableFuture<JsonNode> answer = new java.util.concurrent.CompletableFuture<>();
            asked.put(askId, answer);
            ObjectNode question = Json.object().put("message", "question " + askId);
            question.putObject("requestedSchema").put("type", "object");
            send(JsonRpc.request(Json.MAPPER.getNodeFactory().textNode(askId), askedMethod, question));
            answers.add(answer);
          }
          for (java.util.concurrent.CompletableFuture<JsonNode> answer : answers) {
            try {
              replies.append(Json.write(answer.get(60, java.util.concurrent.TimeUnit.SECONDS))).append('\n');
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
              throw new Failure(-32603, "no answer: " + e);
            }
          }
        }
        return text(name + ":ask\n" + replies);
      }
      case "add_tool" -> {
        tools.add(args.path("name").asText("added"));
        send(JsonRpc.notification("notifications/tools/list_changed", null));
      }
      default -> {
        if (!tools.contains(tool)) {
          throw new Failure(-32602, "Unknown tool: " + tool);
        }
      }
    }
    long call = calls.computeIfAbsent(tool, t -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    ObjectNode result = text(name + ":" + tool + (countCalls ? "#" + call : "") + " " + Json.write(args));
    if (args.get("_result") instanceof ObjectNode extra) {
      result.setAll(extra);
    }
    if (errorTools.contains(tool)) {
      result.put("isError", true);
    }
    return result;
  }

  private static ObjectNode text(String text) {
    ObjectNode result = Json.object();
    result.putArray("content").addObject().put("type", "text").put("text", text);
    return result;
  }

  private void send(ObjectNode message) {
    write(Json.writeBytes(message));
  }

  private synchronized void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      System.exit(0);
    }
  }

  private static final class Failure extends RuntimeException {
    final int code;

    Failure(int code, String message) {
      super(message);
      this.code = code;
    }
  }
}
