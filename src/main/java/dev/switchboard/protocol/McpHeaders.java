package dev.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The stateless era's request headers on Streamable HTTP, shared by the front (which validates them)
 * and the HTTP backend transport (which sends them): {@code MCP-Protocol-Version}, {@code Mcp-Method},
 * {@code Mcp-Name}, and {@code Mcp-Param-{Name}} for tool arguments whose schema carries
 * {@code x-mcp-header}; values outside plain ASCII travel as {@code =?base64?…?=}.
 */
public final class McpHeaders {
  public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
  public static final String METHOD = "Mcp-Method";
  public static final String NAME = "Mcp-Name";
  public static final String PARAM_PREFIX = "Mcp-Param-";
  public static final String ANNOTATION = "x-mcp-header";

  private static final String SENTINEL_START = "=?base64?";
  private static final String SENTINEL_END = "?=";
  private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private McpHeaders() {}

  /** One argument mirrored into a header: {@code Mcp-Param-{name}} from the value at {@code path}. */
  public record ParamHeader(String name, List<String> path) {
    public ParamHeader {
      path = List.copyOf(path);
    }

    public String header() {
      return PARAM_PREFIX + name;
    }

    /** The argument's value at the exact property path, or null when absent or JSON null. */
    public JsonNode valueIn(JsonNode arguments) {
      JsonNode node = arguments;
      for (String key : path) {
        if (node == null || !node.isObject()) {
          return null;
        }
        node = node.get(key);
      }
      return node == null || node.isNull() ? null : node;
    }
  }

  /** The request's {@code Mcp-Name} source: {@code params.name} or {@code params.uri} for the three item methods, else null. */
  public static String nameOf(String method, JsonNode params) {
    String field = switch (method) {
      case Methods.TOOLS_CALL, Methods.PROMPTS_GET -> "name";
      case Methods.RESOURCES_READ -> "uri";
      default -> null;
    };
    if (field == null || params == null) {
      return null;
    }
    JsonNode value = params.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** A value as a header carries it: plain when safe, else the Base64 sentinel form. */
  public static String encode(String value) {
    if (isPlain(value) && !(value.startsWith(SENTINEL_START) && value.endsWith(SENTINEL_END))) {
      return value;
    }
    return SENTINEL_START + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SENTINEL_END;
  }

  /**
   * A header value as the body would carry it: decoded when in the sentinel form.
   *
   * @throws IllegalArgumentException naming what is wrong: characters a header may not carry, or bad Base64
   */
  public static String decode(String header) {
    if (header.startsWith(SENTINEL_START) && header.endsWith(SENTINEL_END) && header.length() >= SENTINEL_START.length() + SENTINEL_END.length()) {
      String encoded = header.substring(SENTINEL_START.length(), header.length() - SENTINEL_END.length());
      if (!encoded.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '='))) {
        throw new IllegalArgumentException("its Base64 value is not valid Base64");
      }
      if (encoded.length() % 4 != 0) {
        // Java's decoder forgives missing padding; the spec's test table does not.
        throw new IllegalArgumentException("its Base64 value is not padded to a multiple of 4 characters");
      }
      try {
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("its Base64 value is not valid Base64");
      }
    }
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (!(c == '\t' || c >= 0x20 && c <= 0x7e)) {
        throw new IllegalArgumentException("it contains a character a header may not carry (U+" + String.format("%04X", (int) c) + ")");
      }
    }
    return header;
  }

  /** Visible ASCII with inner spaces or tabs only: what may travel without encoding. */
  private static boolean isPlain(String value) {
    if (value.isEmpty()) {
      return true;
    }
    if (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1))) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c == ' ' || c == '\t' || c >= 0x21 && c <= 0x7e)) {
        return false;
      }
    }
    return true;
  }

  /** The header text of an argument value: strings as they are, integers in decimal, booleans in lower case; null for other types. */
  public static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "true" : "false";
    }
    if (value.isIntegralNumber() || value.isNumber() && isWhole(value.decimalValue())) {
      return value.decimalValue().stripTrailingZeros().toPlainString();
    }
    return null;
  }

  /** Whether a decoded header value stands for the body's value (integers compared as numbers: "42.0" equals 42). */
  public static boolean matches(String decoded, JsonNode bodyValue) {
    if (bodyValue.isNumber()) {
      try {
        return new BigDecimal(decoded.trim()).compareTo(bodyValue.decimalValue()) == 0;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return decoded.equals(text(bodyValue));
  }

  private static boolean isWhole(BigDecimal value) {
    return value.signum() == 0 || value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /**
   * The argument headers an input schema declares, in schema order.
   *
   * @throws IllegalArgumentException when an annotation breaks the spec's constraints (the tool must then be
   *     left out of the list); the message names the property and the rule
   */
  public static List<ParamHeader> paramHeaders(JsonNode inputSchema) {
    List<ParamHeader> headers = new ArrayList<>();
    if (inputSchema == null || !inputSchema.isObject()) {
      return headers;
    }
    collect(inputSchema, new ArrayList<>(), true, headers);
    Set<String> seen = new HashSet<>();
    for (ParamHeader header : headers) {
      if (!seen.add(header.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(ANNOTATION + " '" + header.name() + "' is used twice (names are case-insensitive)");
      }
    }
    return headers;
  }

  /**
   * Walks the whole schema: annotations are valid only on primitive properties reached through a chain of
   * {@code properties} keys from the root ({@code reachable}); anywhere else they make the schema invalid.
   */
  private static void collect(JsonNode schema, List<String> path, boolean reachable, List<ParamHeader> out) {
    if (schema.isArray()) {
      for (JsonNode item : schema) {
        collect(item, path, false, out);
      }
      return;
    }
    if (!schema.isObject()) {
      return;
    }
    JsonNode annotation = schema.get(ANNOTATION);
    if (annotation != null) {
      String where = path.isEmpty() ? "the schema root" : "property '" + String.join(".", path) + "'";
      if (!reachable || path.isEmpty()) {
        throw new IllegalArgumentException(ANNOTATION + " on " + where + " is not reachable through \"properties\" alone");
      }
      if (!annotation.isTextual() || !isToken(annotation.textValue())) {
        throw new IllegalArgumentException(ANNOTATION + " on " + where + " must be a non-empty header name token, got " + annotation);
      }
      String type = schema.path("type").asText("");
      if (!List.of("string", "integer", "boolean").contains(type)) {
        throw new IllegalArgumentException(ANNOTATION + " on " + where + " needs type string, integer or boolean, got "
            + (type.isEmpty() ? "no type" : type));
      }
      out.add(new ParamHeader(annotation.textValue(), path));
    }
    for (Map.Entry<String, JsonNode> field : schema.properties()) {
      String key = field.getKey();
      if (key.equals(ANNOTATION)) {
        continue;
      }
      if (key.equals("properties") && field.getValue() instanceof ObjectNode properties) {
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
          List<String> next = new ArrayList<>(path);
          next.add(property.getKey());
          collect(property.getValue(), next, reachable, out);
        }
      } else {
        collect(field.getValue(), path, false, out);
      }
    }
  }

  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = c < 128 && Character.isLetterOrDigit(c);
      if (!alnum && TCHAR_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether an integer argument fits the range JavaScript keeps exact (the spec's limit for mirrored integers). */
  public static boolean isSafeInteger(JsonNode value) {
    return !value.isIntegralNumber() || Math.abs(value.longValue()) <= MAX_SAFE_INTEGER && value.canConvertToLong();
  }
}
