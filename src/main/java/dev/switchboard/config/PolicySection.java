package dev.switchboard.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the per-item sections: {@code tools}, {@code resources} and {@code prompts}. */
final class PolicySection {
  static final List<String> TOOL_KEYS = List.of("requires", "cache", "cache_scope");
  static final List<String> RESOURCE_KEYS = List.of("requires");
  static final List<String> PROMPT_KEYS = List.of("description", "arguments", "messages", "requires");
  static final List<String> ARGUMENT_KEYS = List.of("name", "description", "required");
  static final List<String> MESSAGE_KEYS = List.of("role", "text");

  private static final Pattern PROMPT_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern ARGUMENT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
  private static final Map<String, ItemPolicyConfig.CacheScope> SCOPES = new LinkedHashMap<>();
  private static final Map<String, String> ROLES = new LinkedHashMap<>();

  static {
    SCOPES.put("principal", ItemPolicyConfig.CacheScope.PRINCIPAL);
    SCOPES.put("shared", ItemPolicyConfig.CacheScope.SHARED);
    ROLES.put("user", "user");
    ROLES.put("assistant", "assistant");
  }

  private PolicySection() {}

  /** {@code tools} (with {@code cache} and {@code cache_scope}) or {@code resources} (only {@code requires}). */
  static Map<String, ItemPolicyConfig> items(NodeReader reader, Node node, String section) {
    boolean tools = section.equals("tools");
    Map<String, ItemPolicyConfig> items = new LinkedHashMap<>();
    Fields patterns = reader.map(node, section, "a map of names or globs to settings", null);
    if (patterns == null) {
      return items;
    }
    for (Fields.Entry entry : patterns.entries()) {
      String path = patterns.path(entry.key());
      if (entry.key().isEmpty()) {
        reader.error(entry.keyNode(), section + ": a name or glob must not be empty");
        continue;
      }
      Fields item = reader.map(entry.value(), path,
          tools ? "a map like {requires: [db.read], cache: 5m}" : "a map like {requires: [files.read]}",
          tools ? TOOL_KEYS : RESOURCE_KEYS);
      List<String> requires = item == null ? null : item.strings("requires", "[db.read]");
      Duration cache = item == null ? null : item.duration("cache");
      ItemPolicyConfig.CacheScope scope =
          item == null ? null : reader.choice(item.value("cache_scope"), item.path("cache_scope"), SCOPES);
      items.put(entry.key(), new ItemPolicyConfig(entry.key(), requires, cache, scope,
          reader.problems().position(entry.keyNode())));
    }
    return items;
  }

  /** {@code prompts}: templates served by the hub (with messages) and policies for backend prompts. */
  static Map<String, PromptConfig> prompts(NodeReader reader, Node node) {
    Map<String, PromptConfig> prompts = new LinkedHashMap<>();
    Fields section = reader.map(node, "prompts", "a map of prompt names to settings", null);
    if (section == null) {
      return prompts;
    }
    for (Fields.Entry entry : section.entries()) {
      String name = entry.key();
      String path = section.path(name);
      boolean glob = name.contains("*") || name.contains("?");
      if (!glob && !PROMPT_NAME.matcher(name).matches()) {
        reader.error(entry.keyNode(), "invalid prompt name '" + name + "' in prompts; expected 1 to 64 letters,"
            + " digits, '_', '.' or '-' (or a glob with * and ?)");
      }
      Fields prompt = reader.map(entry.value(), path, "a map like {description: ..., messages: [...]}", PROMPT_KEYS);
      if (prompt == null) {
        prompts.put(name, new PromptConfig(name, null, null, null, null, reader.problems().position(entry.keyNode())));
        continue;
      }
      for (String key : List.of("arguments", "messages")) {
        if (glob && prompt.has(key)) {
          reader.error(prompt.keyNode(key), prompt.path(key) + ": a glob entry only sets requires for the backend"
              + " prompts it matches; " + key + " need a plain prompt name");
        }
      }
      if (!glob && prompt.has("arguments") && !prompt.has("messages")) {
        reader.error(prompt.keyNode("arguments"), prompt.path("arguments")
            + ": arguments need messages that use them");
      }
      NodeReader.Text description = prompt.string("description", "a string");
      // argument name -> how messages may show it (as written in the file: a name from ${...} is not shown)
      Map<String, String> declared = new LinkedHashMap<>();
      List<PromptConfig.Argument> arguments = arguments(reader, prompt, declared);
      List<PromptConfig.Message> messages = messages(reader, prompt, declared);
      prompts.put(name, new PromptConfig(name, description == null ? null : description.value(), arguments,
          messages, prompt.strings("requires", "[db.read]"), reader.problems().position(entry.keyNode())));
    }
    return prompts;
  }

  private static List<PromptConfig.Argument> arguments(NodeReader reader, Fields prompt,
      Map<String, String> declared) {
    List<Node> nodes = reader.list(prompt.value("arguments"), prompt.path("arguments"),
        "a list like [{name: code, required: true}]");
    List<PromptConfig.Argument> arguments = new ArrayList<>();
    for (int i = 0; nodes != null && i < nodes.size(); i++) {
      String path = prompt.path("arguments") + "[" + i + "]";
      Fields argument = reader.map(nodes.get(i), path, "a map like {name: code, required: true}", ARGUMENT_KEYS);
      if (argument == null) {
        if (NodeReader.absent(nodes.get(i))) {
          reader.expected(nodes.get(i), path, "a map like {name: code, required: true}");
        }
        continue;
      }
      NodeReader.Text name = argument.string("name", "a string");
      if (!argument.has("name")) {
        reader.error(nodes.get(i), path + ": missing name");
      } else if (name != null) {
        boolean first = declared.putIfAbsent(name.value(), name.fromEnv() ? name.raw() : name.value()) == null;
        if (!ARGUMENT_NAME.matcher(name.value()).matches()) {
          reader.error(name.node(), "invalid argument name " + name.shown() + " for " + argument.path("name")
              + "; expected 1 to 64 letters, digits, '_' or '-'");
        } else if (!first) {
          reader.error(name.node(), argument.path("name") + ": duplicate argument " + name.shown());
        }
      }
      NodeReader.Text description = argument.string("description", "a string");
      Boolean required = argument.bool("required");
      if (name != null) {
        arguments.add(new PromptConfig.Argument(name.value(), description == null ? null : description.value(),
            Boolean.TRUE.equals(required)));
      }
    }
    return arguments;
  }

  private static List<PromptConfig.Message> messages(NodeReader reader, Fields prompt,
      Map<String, String> declared) {
    List<Node> nodes = reader.list(prompt.value("messages"), prompt.path("messages"),
        "a list like [{role: user, text: ...}]");
    List<PromptConfig.Message> messages = new ArrayList<>();
    for (int i = 0; nodes != null && i < nodes.size(); i++) {
      String path = prompt.path("messages") + "[" + i + "]";
      Fields message = reader.map(nodes.get(i), path, "a map like {role: user, text: ...}", MESSAGE_KEYS);
      if (message == null) {
        if (NodeReader.absent(nodes.get(i))) {
          reader.expected(nodes.get(i), path, "a map like {role: user, text: ...}");
        }
        continue;
      }
      for (String key : MESSAGE_KEYS) {
        if (!message.has(key)) {
          reader.error(nodes.get(i), path + ": missing " + key);
        }
      }
      String role = reader.choice(message.value("role"), message.path("role"), ROLES);
      NodeReader.Text text = message.string("text", "a string");
      if (text != null) {
        checkPlaceholders(reader, text, message.path("text"), declared);
      }
      if (role != null && text != null) {
        messages.add(new PromptConfig.Message(role, text.value()));
      }
    }
    return messages;
  }

  private static void checkPlaceholders(NodeReader reader, NodeReader.Text text, String path,
      Map<String, String> declared) {
    Matcher placeholder = PLACEHOLDER.matcher(text.value());
    Set<String> reported = new LinkedHashSet<>();
    while (placeholder.find()) {
      String name = placeholder.group(1);
      if (declared.containsKey(name) || !reported.add(name)) {
        continue;
      }
      String known = declared.isEmpty() ? "no arguments are declared" : "declared: " + String.join(", ", declared.values());
      reader.error(text.node(), path + ": "
          + (text.fromEnv() ? "a placeholder" : "placeholder {{" + name + "}}") + " is not a declared argument; " + known);
      if (text.fromEnv()) {
        return;
      }
    }
  }
}
