package dev.switchboard.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of {@link ConformanceFixture} that the suite inspects field by field: the
 * elicitation forms of SEP-1034 (defaults) and SEP-1330 (enum shapes), and a tool input schema
 * using JSON Schema 2020-12 keywords (SEP-1613, SEP-2106). Insertion-ordered maps keep the wire
 * output stable and readable.
 */
final class FixtureSchemas {
  private FixtureSchemas() {}

  /** SEP-1034: a default for every primitive type. */
  static Map<String, Object> defaults() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", Map.of("type", "string", "description", "User name", "default", "John Doe"));
    properties.put("age", Map.of("type", "integer", "description", "User age", "default", 30));
    properties.put("score", Map.of("type", "number", "description", "User score", "default", 95.5));
    properties.put("status", Map.of("type", "string", "description", "User status",
        "enum", List.of("active", "inactive", "pending"), "default", "active"));
    properties.put("verified", Map.of("type", "boolean", "description", "Verification status", "default", true));
    return Map.of("type", "object", "properties", properties, "required", List.of());
  }

  /** SEP-1330: untitled and titled single-select, legacy enumNames, untitled and titled multi-select. */
  static Map<String, Object> enums() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("untitledSingle", Map.of("type", "string", "enum", List.of("option1", "option2", "option3")));
    properties.put("titledSingle", Map.of("type", "string", "oneOf", titled("Option")));
    properties.put("legacyEnum", Map.of("type", "string", "enum", List.of("opt1", "opt2", "opt3"),
        "enumNames", List.of("Option One", "Option Two", "Option Three")));
    properties.put("untitledMulti", Map.of("type", "array",
        "items", Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))));
    properties.put("titledMulti", Map.of("type", "array", "items", Map.of("anyOf", titled("Choice"))));
    return Map.of("type", "object", "properties", properties);
  }

  private static List<Map<String, Object>> titled(String noun) {
    return List.of(
        Map.of("const", "value1", "title", "First " + noun),
        Map.of("const", "value2", "title", "Second " + noun),
        Map.of("const", "value3", "title", "Third " + noun));
  }

  /** $schema, $defs with an $anchor, $ref, allOf/anyOf, if/then/else and additionalProperties: false. */
  static Map<String, Object> draft202012() {
    Map<String, Object> address = new LinkedHashMap<>();
    address.put("$anchor", "addressDef");
    address.put("type", "object");
    address.put("properties", Map.of("street", Map.of("type", "string"), "city", Map.of("type", "string")));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", Map.of("type", "string"));
    properties.put("address", Map.of("$ref", "#/$defs/address"));
    properties.put("contactMethod", Map.of("type", "string", "enum", List.of("phone", "email")));
    properties.put("phone", Map.of("type", "string"));
    properties.put("email", Map.of("type", "string"));
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    schema.put("type", "object");
    schema.put("$defs", Map.of("address", address));
    schema.put("properties", properties);
    schema.put("allOf", List.of(Map.of("anyOf", List.of(Map.of("required", List.of("phone")),
        Map.of("required", List.of("email"))))));
    schema.put("if", Map.of("properties", Map.of("contactMethod", Map.of("const", "phone")),
        "required", List.of("contactMethod")));
    schema.put("then", Map.of("required", List.of("phone")));
    schema.put("else", Map.of("required", List.of("email")));
    schema.put("additionalProperties", false);
    return schema;
  }
}
