package dev.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads tool arguments, throwing {@link ToolFailure} with a message the model can act on. */
final class ToolArguments {
  private ToolArguments() {}

  /** A required string argument that is not blank. */
  static String requiredString(ObjectNode arguments, String name, String what) {
    JsonNode value = arguments.get(name);
    if (value == null || value.isNull()) {
      throw new ToolFailure("Missing required argument: " + name + " (" + what + ")");
    }
    if (!value.isTextual()) {
      throw new ToolFailure("Argument " + name + " must be a string (" + what + "), got " + value);
    }
    if (value.textValue().isBlank()) {
      throw new ToolFailure("Argument " + name + " must not be empty (" + what + ")");
    }
    return value.textValue();
  }

  /** An optional string argument; {@code fallback} when absent or null. */
  static String optionalString(ObjectNode arguments, String name, String fallback) {
    JsonNode value = arguments.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw new ToolFailure("Argument " + name + " must be a string, got " + value);
    }
    return value.textValue();
  }

  /** An optional integer argument in {@code [min, max]}; {@code fallback} when absent or null. */
  static int optionalInt(ObjectNode arguments, String name, int fallback, int min, int max) {
    JsonNode value = arguments.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToInt()
        || value.intValue() < min || value.intValue() > max) {
      throw new ToolFailure("Argument " + name + " must be an integer from " + min + " to " + max + ", got " + value);
    }
    return value.intValue();
  }
}
