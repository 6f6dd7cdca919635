package dev.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stateless era's mirrored headers: value encoding (the spec's table) and x-mcp-header rules. */
class McpHeadersTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "us-west1 | us-west1",
      "'Hello, 世界' | =?base64?SGVsbG8sIOS4lueVjA==?=",
      "' padded ' | =?base64?IHBhZGRlZCA=?=",
      "=?base64?literal?= | =?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=",
      "us west 1 | us west 1"})
  void valuesAreEncodedAsTheSpecsTableSaysAndDecodeBack(String value, String header) {
    assertThat(McpHeaders.encode(value)).isEqualTo(header);
    assertThat(McpHeaders.decode(header)).isEqualTo(value);
  }

  @Test
  void aLineBreakIsEncodedAndABadSentinelIsRefused() {
    assertThat(McpHeaders.encode("line1\nline2")).isEqualTo("=?base64?bGluZTEKbGluZTI=?=");
    assertThatThrownBy(() -> McpHeaders.decode("=?base64?SGVsbG8?=")).hasMessage("its Base64 value is not padded to a multiple of 4 characters");
    assertThatThrownBy(() -> McpHeaders.decode("=?base64?SGVs!!!bG8=?=")).hasMessage("its Base64 value is not valid Base64");
    assertThat(McpHeaders.decode("=?base64?SGVsbG8=")).isEqualTo("=?base64?SGVsbG8="); // no suffix: a literal
  }

  @Test
  void integersAndBooleansBecomeTheirTextAndNumbersCompareNumerically() {
    assertThat(McpHeaders.text(Json.parse("42"))).isEqualTo("42");
    assertThat(McpHeaders.text(Json.parse("false"))).isEqualTo("false");
    assertThat(McpHeaders.text(Json.parse("{}"))).isNull();
    assertThat(McpHeaders.matches("42.0", Json.parse("42"))).isTrue();
    assertThat(McpHeaders.matches("43", Json.parse("42"))).isFalse();
  }

  @Test
  void annotationsReachableThroughPropertiesAreCollectedWithTheirPath() {
    JsonNode schema = Json.parse("""
        {"type":"object","properties":{"region":{"type":"string","x-mcp-header":"Region"},
         "opts":{"type":"object","properties":{"tenant":{"type":"integer","x-mcp-header":"Tenant"}}}}}""");
    List<McpHeaders.ParamHeader> headers = McpHeaders.paramHeaders(schema);
    assertThat(headers).containsExactly(new McpHeaders.ParamHeader("Region", List.of("region")),
        new McpHeaders.ParamHeader("Tenant", List.of("opts", "tenant")));
    assertThat(headers.get(1).valueIn(Json.parse("{\"opts\":{\"tenant\":7}}")).asInt()).isEqualTo(7);
    assertThat(headers.get(1).header()).isEqualTo("Mcp-Param-Tenant");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"\"}}} | must be a non-empty header name token",
      "{\"properties\":{\"a\":{\"type\":\"object\",\"x-mcp-header\":\"A\"}}} | needs type string, integer or boolean, got object",
      "{\"properties\":{\"a\":{\"type\":\"number\",\"x-mcp-header\":\"A\"}}} | needs type string, integer or boolean, got number",
      "{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"A B\"}}} | must be a non-empty header name token",
      "{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"X\"},\"b\":{\"type\":\"string\",\"x-mcp-header\":\"x\"}}} | is used twice",
      "{\"properties\":{\"a\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"x-mcp-header\":\"A\"}}}} | is not reachable through \"properties\" alone",
      "{\"anyOf\":[{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"A\"}}}]} | is not reachable through \"properties\" alone"})
  void annotationsThatBreakTheRulesMakeTheToolInvalid(String schema, String reason) {
    assertThatThrownBy(() -> McpHeaders.paramHeaders(Json.parse(schema)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }
}
