package dev.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import dev.switchboard.protocol.ProtocolVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small MCP server over newline-delimited JSON-RPC on a pair of streams (stdin and stdout by
 * default): the engine of the demo backends, reusable for test backends.
 *
 * <p>It answers {@code initialize}, {@code ping}, {@code tools/list} (paged when a page size is
 * set), {@code tools/call}, {@code logging/setLevel}, and honours {@code notifications/cancelled}.
 * Each {@code tools/call} runs on its own virtual thread, so a slow tool never delays other
 * requests; the other requests are answered in arrival order. Tool errors ({@link ToolFailure},
 * {@link IllegalArgumentException}) become results with {@code isError: true}; protocol errors
 * become JSON-RPC errors. Bad input (malformed JSON, a bad envelope, an oversized line) is answered
 * with an error and never ends the server.
 *
 * <p>The output stream carries the protocol only: nothing else may write to it. The server keeps
 * no state between {@link #run} calls; one instance may serve several connections in turn.
 */
public final class McpStdioServer {
  private final String name;
  private final String version;
  private final String instructions;
  private final List<DemoTool> tools;
  private final Map<String, DemoTool> toolsByName;
  private final int pageSize;
  private final CallListener listener;

  /** Tells tests when a {@code tools/call} has finished (after its response, if any, was written). */
  interface CallListener {
    CallListener NONE = (id, tool, cancelled) -> {};

    void callFinished(JsonNode id, String tool, boolean cancelled);
  }

  /** A server that lists all its tools on one page. */
  public McpStdioServer(String name, String version, String instructions, List<DemoTool> tools) {
    this(name, version, instructions, tools, 0);
  }

  /**
   * @param name the {@code serverInfo.name}
   * @param version the {@code serverInfo.version}
   * @param instructions the {@code instructions} of the initialize result, or null
   * @param tools the tools, listed in this order; names must be unique
   * @param pageSize tools per {@code tools/list} page, 0 for a single page
   * @throws IllegalArgumentException for a blank name, a duplicate tool name or a negative page size
   */
  public McpStdioServer(String name, String version, String instructions, List<DemoTool> tools, int pageSize) {
    this(name, version, instructions, tools, pageSize, CallListener.NONE);
  }

  McpStdioServer(String name, String version, String instructions, List<DemoTool> tools, int pageSize, CallListener listener) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("server name must not be blank, got '" + name + "'");
    }
    if (pageSize < 0) {
      throw new IllegalArgumentException("pageSize must be 0 (one page) or positive, got " + pageSize);
    }
    this.name = name;
    this.version = Objects.requireNonNull(version, "version");
    this.instructions = instructions;
    this.tools = List.copyOf(tools);
    this.pageSize = pageSize;
    this.listener = Objects.requireNonNull(listener, "listener");
    Map<String, DemoTool> byName = new LinkedHashMap<>();
    for (DemoTool tool : this.tools) {
      if (byName.putIfAbsent(tool.name(), tool) != null) {
        throw new IllegalArgumentException("server " + name + " has two tools named '" + tool.name() + "'");
      }
    }
    this.toolsByName = Map.copyOf(byName);
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public List<DemoTool> tools() {
    return tools;
  }

  /** Serves stdin and stdout until stdin ends. */
  public void run() throws IOException {
    run(System.in, System.out);
  }

  /**
   * Serves one connection until {@code in} ends, then lets calls in progress finish for a short
   * grace period (cancelling those that take longer) and returns. Never closes the streams.
   *
   * @throws IOException when reading {@code in} fails (not at its normal end)
   */
  public void run(InputStream in, OutputStream out) throws IOException {
    new StdioConnection(this, in, out, listener).serve();
  }

  ObjectNode initializeResult(ObjectNode params) {
    ObjectNode result = Json.object();
    result.put("protocolVersion", ProtocolVersion.negotiate(Json.text(params, "protocolVersion")));
    ObjectNode capabilities = result.putObject("capabilities");
    capabilities.putObject("tools").put("listChanged", false);
    capabilities.putObject("logging");
    ObjectNode serverInfo = result.putObject("serverInfo");
    serverInfo.put("name", name);
    serverInfo.put("version", version);
    if (instructions != null) {
      result.put("instructions", instructions);
    }
    return result;
  }

  ObjectNode toolsList(ObjectNode params) {
    int from = 0;
    JsonNode cursor = params.get("cursor");
    if (cursor != null && !cursor.isNull()) {
      from = decodeCursor(cursor);
    }
    int to = pageSize == 0 ? tools.size() : Math.min(tools.size(), from + pageSize);
    ObjectNode result = Json.object();
    ArrayNode list = result.putArray("tools");
    for (DemoTool tool : tools.subList(from, to)) {
      list.add(tool.toJson());
    }
    if (to < tools.size()) {
      result.put("nextCursor", encodeCursor(to));
    }
    return result;
  }

  /**
   * Runs the named tool. Throws {@link McpError} for a protocol error (unknown tool, bad params);
   * a tool error is returned as a result with {@code isError: true}.
   */
  ObjectNode callTool(ObjectNode params, ToolContext context) {
    JsonNode nameNode = params.get("name");
    if (nameNode == null || !nameNode.isTextual()) {
      throw McpError.invalidParams("tools/call needs \"name\", a string");
    }
    DemoTool tool = toolsByName.get(nameNode.textValue());
    if (tool == null) {
      throw new McpError(McpError.INVALID_PARAMS, "Unknown tool: " + nameNode.textValue());
    }
    JsonNode args = params.get("arguments");
    if (args != null && !args.isNull() && !args.isObject()) {
      throw McpError.invalidParams("\"arguments\" of tool " + tool.name() + " must be an object, got " + args.getNodeType().toString().toLowerCase());
    }
    ObjectNode arguments = args instanceof ObjectNode o ? o : Json.object();
    ObjectNode result;
    try {
      result = tool.handler().call(arguments, context);
    } catch (ToolFailure | IllegalArgumentException e) {
      return ToolResults.error(e.getMessage());
    }
    if (result == null) {
      throw McpError.internal("tool " + tool.name() + " returned no result");
    }
    return result;
  }

  private static String encodeCursor(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("tools:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private int decodeCursor(JsonNode cursor) {
    String text = cursor.isTextual() ? cursor.textValue() : cursor.toString();
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      if (decoded.startsWith("tools:")) {
        int offset = Integer.parseInt(decoded.substring("tools:".length()));
        if (offset > 0 && offset < tools.size()) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // not base64 or not a number: the same answer as any other unknown cursor
    }
    throw McpError.invalidParams("unknown cursor " + cursor + "; pass the nextCursor of a previous tools/list result");
  }
}
