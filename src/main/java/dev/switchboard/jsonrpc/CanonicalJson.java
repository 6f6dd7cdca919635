package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One byte sequence per JSON value, whatever its spelling: object keys sorted (by UTF-16 code
 * units, recursively), no whitespace, and every number written as {@code UNSCALEDeEXPONENT} with
 * trailing zeros removed, so {@code 1}, {@code 1.0}, {@code 1.00} and {@code 1e0} are one number
 * ({@code 1e0}) and {@code 100} and {@code 1E2} another ({@code 1e2}). Strings are written with
 * JSON escaping, so the output is itself valid JSON. The number form never expands an exponent,
 * so a value like {@code 1e999999999} stays short. Used where equal values must compare equal
 * whatever their formatting: cache keys, audit argument hashes.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** The canonical UTF-8 bytes of {@code value}; null is written as JSON {@code null}. */
  public static byte[] bytes(JsonNode value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(out)) {
      write(generator, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Lower-case hex SHA-256 of the canonical bytes. */
  public static String sha256(JsonNode value) {
    return sha256(bytes(value));
  }

  /** Lower-case hex SHA-256 of bytes already in canonical form ({@link #bytes}). */
  public static String sha256(byte[] canonical) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void write(JsonGenerator out, JsonNode node) throws IOException {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.writeNull();
    } else if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      out.writeStartObject();
      for (Map.Entry<String, JsonNode> field : fields) {
        out.writeFieldName(field.getKey());
        write(out, field.getValue());
      }
      out.writeEndObject();
    } else if (node.isArray()) {
      out.writeStartArray();
      for (JsonNode item : node) {
        write(out, item);
      }
      out.writeEndArray();
    } else if (node.isNumber()) {
      out.writeNumber(number(node.decimalValue()));
    } else if (node.isTextual()) {
      out.writeString(node.textValue());
    } else if (node.isBoolean()) {
      out.writeBoolean(node.booleanValue());
    } else {
      // Binary or POJO nodes never come from parsed messages; write them as their JSON text.
      out.writeString(node.asText());
    }
  }

  /** {@code 1.50} → {@code 15e-1}; {@code 100} → {@code 1e2}; {@code 0.0} → {@code 0e0}. */
  public static String number(BigDecimal value) {
    BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    return stripped.unscaledValue().toString() + "e" + (-(long) stripped.scale());
  }
}
