package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson mapper of the hub and a few tree helpers. Messages stay JSON trees from the
 * moment they are read until they are written, so fields the hub does not know survive.
 */
public final class Json {
  /** Thread-safe once configured; shared by every front, backend and the demo servers. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      // Keep numbers as written (2.50 stays 2.50): the hub passes messages through.
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  static {
    // One message may be large (a file read as base64); nesting stays bounded.
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxStringLength(64 * 1024 * 1024)
        .maxNestingDepth(200)
        .build());
  }

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Parses one JSON document; throws {@link McpError#parseError} for anything that is not JSON. */
  public static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw McpError.parseError("empty message");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw McpError.parseError(e.getOriginalMessage());
    }
  }

  /** Parses one JSON document from bytes; throws {@link McpError#parseError} for anything that is not JSON. */
  public static JsonNode parse(byte[] bytes, int offset, int length) {
    try {
      JsonNode node = MAPPER.readTree(bytes, offset, length);
      if (node == null || node.isMissingNode()) {
        throw McpError.parseError("empty message");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw McpError.parseError(e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  public static byte[] writeBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** The text of a string field, or null when absent or not a string. */
  public static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** The object at {@code field}, or null when absent or not an object. */
  public static ObjectNode objectAt(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode value = node.get(field);
    return value instanceof ObjectNode o ? o : null;
  }
}
