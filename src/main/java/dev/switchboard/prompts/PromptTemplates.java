package dev.switchboard.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.PromptConfig;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.McpError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt templates of the config ({@code prompts:} entries with messages), served by the hub
 * itself. Rendering replaces each {@code {{argument}}} once: a value that itself contains
 * {@code {{…}}} is inserted literally, never expanded again.
 */
public final class PromptTemplates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_-]+)\\s*\\}\\}");

  private final Map<String, PromptConfig> templates = new LinkedHashMap<>();

  public PromptTemplates(Map<String, PromptConfig> prompts) {
    prompts.values().stream().filter(PromptConfig::isTemplate).forEach(p -> templates.put(p.name(), p));
  }

  /** The templates as prompts/list shows them, in config order. */
  public List<ObjectNode> definitions() {
    List<ObjectNode> definitions = new ArrayList<>();
    for (PromptConfig prompt : templates.values()) {
      ObjectNode definition = Json.object();
      definition.put("name", prompt.name());
      if (prompt.description() != null) {
        definition.put("description", prompt.description());
      }
      ArrayNode arguments = definition.putArray("arguments");
      for (PromptConfig.Argument argument : prompt.arguments()) {
        ObjectNode a = arguments.addObject();
        a.put("name", argument.name());
        if (argument.description() != null) {
          a.put("description", argument.description());
        }
        a.put("required", argument.required());
      }
      definitions.add(definition);
    }
    return definitions;
  }

  public boolean has(String name) {
    return templates.containsKey(name);
  }

  /**
   * The prompts/get result for a template.
   *
   * @throws McpError invalid params when a required argument is missing or an argument is not a string
   */
  public ObjectNode render(String name, JsonNode arguments) {
    PromptConfig prompt = templates.get(name);
    if (prompt == null) {
      throw new McpError(McpError.INVALID_PARAMS, "Unknown prompt: " + name);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (PromptConfig.Argument argument : prompt.arguments()) {
      JsonNode value = arguments == null ? null : arguments.get(argument.name());
      if (value == null || value.isNull()) {
        if (argument.required()) {
          throw McpError.invalidParams("missing required argument '" + argument.name() + "' for prompt '" + name + "'");
        }
        values.put(argument.name(), "");
      } else if (!value.isTextual()) {
        throw McpError.invalidParams("argument '" + argument.name() + "' of prompt '" + name + "' must be a string");
      } else {
        values.put(argument.name(), value.textValue());
      }
    }
    ObjectNode result = Json.object();
    if (prompt.description() != null) {
      result.put("description", prompt.description());
    }
    ArrayNode messages = result.putArray("messages");
    for (PromptConfig.Message message : prompt.messages()) {
      ObjectNode m = messages.addObject();
      m.put("role", message.role());
      m.putObject("content").put("type", "text").put("text", fill(message.text(), values));
    }
    return result;
  }

  private static String fill(String text, Map<String, String> values) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.getOrDefault(matcher.group(1), matcher.group());
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
