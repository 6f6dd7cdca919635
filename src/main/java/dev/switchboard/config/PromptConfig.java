package dev.switchboard.config;

import java.util.List;

/**
 * One entry of {@code prompts:}. With {@code messages} it is a template served by the hub itself;
 * without, it only carries a policy ({@code requires}) for backend prompts matching its name or glob.
 */
public record PromptConfig(String name, String description, List<Argument> arguments, List<Message> messages,
    List<String> requires, Position position) {
  public PromptConfig {
    arguments = arguments == null ? List.of() : List.copyOf(arguments);
    messages = messages == null ? List.of() : List.copyOf(messages);
    requires = requires == null ? List.of() : List.copyOf(requires);
  }

  public boolean isTemplate() {
    return !messages.isEmpty();
  }

  public record Argument(String name, String description, boolean required) {}

  /** @param role {@code user} or {@code assistant}; @param text may hold {@code {{argument}}} placeholders */
  public record Message(String role, String text) {}
}
