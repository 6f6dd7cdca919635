package dev.switchboard.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One tool of a demo server: its {@code tools/list} entry and the handler that runs it.
 *
 * @param name the tool name, {@code ^[A-Za-z0-9_.-]{1,64}$}
 * @param title a human-readable name, or null
 * @param description what the tool does, for the model
 * @param inputSchema a JSON Schema object ({@code "type": "object"})
 * @param outputSchema the schema of {@code structuredContent}, or null when the tool declares none
 * @param annotations the MCP tool annotations (readOnlyHint…); an empty object when null
 * @param handler runs a call
 */
public record DemoTool(
    String name,
    String title,
    String description,
    ObjectNode inputSchema,
    ObjectNode outputSchema,
    ObjectNode annotations,
    Handler handler) {

  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

  /**
   * Runs one call. Returns a full {@code CallToolResult} object ({@code content}, {@code isError},
   * optionally {@code structuredContent}). Throws {@link ToolFailure} or
   * {@link IllegalArgumentException} for a tool error (reported as {@code isError: true}), or a
   * {@link dev.switchboard.jsonrpc.McpError} for a protocol error.
   */
  @FunctionalInterface
  public interface Handler {
    ObjectNode call(ObjectNode arguments, ToolContext context);
  }

  public DemoTool {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tool name must match " + NAME.pattern() + ", got '" + name + "'");
    }
    Objects.requireNonNull(description, "description of tool " + name);
    Objects.requireNonNull(inputSchema, "inputSchema of tool " + name);
    Objects.requireNonNull(handler, "handler of tool " + name);
    if (!"object".equals(Json.text(inputSchema, "type"))) {
      throw new IllegalArgumentException("inputSchema of tool " + name + " must have \"type\": \"object\", got " + inputSchema.get("type"));
    }
    inputSchema = inputSchema.deepCopy();
    outputSchema = outputSchema == null ? null : outputSchema.deepCopy();
    annotations = annotations == null ? Json.object() : annotations.deepCopy();
  }

  /** A tool without an output schema. */
  public DemoTool(String name, String title, String description, ObjectNode inputSchema, ObjectNode annotations, Handler handler) {
    this(name, title, description, inputSchema, null, annotations, handler);
  }

  /** The tool's entry in a {@code tools/list} result. */
  public ObjectNode toJson() {
    ObjectNode tool = Json.object();
    tool.put("name", name);
    if (title != null) {
      tool.put("title", title);
    }
    tool.put("description", description);
    tool.set("inputSchema", inputSchema.deepCopy());
    if (outputSchema != null) {
      tool.set("outputSchema", outputSchema.deepCopy());
    }
    if (!annotations.isEmpty()) {
      tool.set("annotations", annotations.deepCopy());
    }
    return tool;
  }

  /** Builds an annotations object; {@code title} may be null. */
  public static ObjectNode annotations(String title, boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld) {
    ObjectNode a = Json.object();
    if (title != null) {
      a.put("title", title);
    }
    a.put("readOnlyHint", readOnly);
    a.put("destructiveHint", destructive);
    a.put("idempotentHint", idempotent);
    a.put("openWorldHint", openWorld);
    return a;
  }
}
