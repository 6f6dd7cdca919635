package dev.switchboard.conformance;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.AudioContent;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools of {@link ConformanceFixture}: one per tool the MCP conformance suite calls, named and
 * answering as its scenario descriptions ask ({@code conformance server}, "Server Implementation
 * Requirements"). Tools that need the client (sampling, elicitation) fail with the SDK's error when
 * the client lacks the capability, as the suite expects.
 */
final class FixtureTools {
  private static final Logger log = LoggerFactory.getLogger(FixtureTools.class);

  /** A 1x1 red PNG. */
  static final String RED_PIXEL_PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

  /** A WAV header with one silent 16-bit sample at 8 kHz. */
  static final String SILENT_WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQIAAAAAAA==";

  private FixtureTools() {}

  static List<SyncToolSpecification> all() {
    return List.of(
        tool("test_simple_text", "Returns one text block", noArguments(),
            (exchange, request) -> result(text("This is a simple text response for testing."))),
        tool("test_image_content", "Returns one image block (a 1x1 red PNG)", noArguments(),
            (exchange, request) -> result(ImageContent.builder(RED_PIXEL_PNG, "image/png").build())),
        tool("test_audio_content", "Returns one audio block (a tiny WAV)", noArguments(),
            (exchange, request) -> result(AudioContent.builder(SILENT_WAV, "audio/wav").build())),
        tool("test_embedded_resource", "Returns one embedded text resource", noArguments(),
            (exchange, request) -> result(embedded("test://embedded-resource", "text/plain",
                "This is an embedded resource content."))),
        tool("test_multiple_content_types", "Returns text, an image and an embedded resource", noArguments(),
            (exchange, request) -> result(text("Multiple content types test:"),
                ImageContent.builder(RED_PIXEL_PNG, "image/png").build(),
                embedded("test://mixed-content-resource", "application/json", "{\"test\":\"data\",\"value\":123}"))),
        tool("test_tool_with_logging", "Sends three info log messages while it runs", noArguments(),
            FixtureTools::withLogging),
        tool("test_tool_with_progress", "Reports progress 0, 50 and 100 of 100 when given a progress token",
            noArguments(), FixtureTools::withProgress),
        tool("test_error_handling", "Always fails with a tool error (isError: true)", noArguments(),
            (exchange, request) -> CallToolResult.builder()
                .addContent(text("This tool intentionally returns an error for testing")).isError(true).build()),
        tool("test_reconnection", "Answers after a short pause (the SDK cannot close an SSE stream mid-call)",
            noArguments(), (exchange, request) -> {
              pause(100);
              return result(text("Reconnection test completed."));
            }),
        tool("test_sampling", "Asks the client to sample a reply to the prompt",
            object(Map.of("prompt", string("The prompt to send to the LLM")), List.of("prompt")),
            FixtureTools::sampling),
        tool("test_elicitation", "Asks the client for a username and an email",
            object(Map.of("message", string("The message to show the user")), List.of("message")),
            FixtureTools::elicitation),
        tool("test_elicitation_sep1034_defaults", "Elicits a form whose fields all have defaults (SEP-1034)",
            noArguments(), (exchange, request) -> elicit(exchange, "Please review your information", FixtureSchemas.defaults())),
        tool("test_elicitation_sep1330_enums", "Elicits a form with the five enum shapes (SEP-1330)",
            noArguments(), (exchange, request) -> elicit(exchange, "Select your preferences", FixtureSchemas.enums())),
        tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features", FixtureSchemas.draft202012(),
            (exchange, request) -> result(text("Received: " + request.arguments()))));
  }

  private static CallToolResult withLogging(McpSyncServerExchange exchange, CallToolRequest request) {
    for (String message : List.of("Tool execution started", "Tool processing data", "Tool execution completed")) {
      exchange.loggingNotification(LoggingMessageNotification.builder(LoggingLevel.INFO, message)
          .logger("conformance-fixture").build());
      pause(50);
    }
    return result(text("Tool with logging executed successfully"));
  }

  private static CallToolResult withProgress(McpSyncServerExchange exchange, CallToolRequest request) {
    Object token = request.meta() == null ? null : request.meta().get("progressToken");
    for (int step = 0; step <= 100; step += 50) {
      if (token != null) {
        exchange.progressNotification(ProgressNotification.builder(token, step).total(100.0)
            .message("Completed step " + step + " of 100").build());
      }
      if (step < 100) {
        pause(50);
      }
    }
    return result(text(token == null ? "Tool execution completed without progress" : String.valueOf(token)));
  }

  private static CallToolResult sampling(McpSyncServerExchange exchange, CallToolRequest request) {
    String prompt = String.valueOf(request.arguments().get("prompt"));
    CreateMessageResult reply = exchange.createMessage(CreateMessageRequest.builder(
        List.of(SamplingMessage.builder(Role.USER, text(prompt)).build()), 100).build());
    String answer = reply.content() instanceof TextContent t ? t.text() : String.valueOf(reply.content());
    return result(text("LLM response: " + answer));
  }

  private static CallToolResult elicitation(McpSyncServerExchange exchange, CallToolRequest request) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("username", string("User's response"));
    properties.put("email", string("User's email address"));
    ElicitResult reply = exchange.createElicitation(ElicitFormRequest.builder(
        String.valueOf(request.arguments().get("message")), object(properties, List.of("username", "email"))).build());
    return result(text("User response: action=" + reply.action().name().toLowerCase() + ", content=" + reply.content()));
  }

  private static CallToolResult elicit(McpSyncServerExchange exchange, String message, Map<String, Object> schema) {
    ElicitResult reply = exchange.createElicitation(ElicitFormRequest.builder(message, schema).build());
    return result(text("Elicitation completed: action=" + reply.action().name().toLowerCase() + ", content=" + reply.content()));
  }

  private static SyncToolSpecification tool(String name, String description, Map<String, Object> inputSchema,
      BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
    return SyncToolSpecification.builder()
        .tool(Tool.builder(name, inputSchema).description(description).build())
        .callHandler((exchange, request) -> {
          log.info("tools/call {}", name);
          return handler.apply(exchange, request);
        })
        .build();
  }

  static Map<String, Object> noArguments() {
    return Map.of("type", "object", "properties", Map.of());
  }

  static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
    return Map.of("type", "object", "properties", properties, "required", required);
  }

  static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  static TextContent text(String text) {
    return TextContent.builder(text).build();
  }

  static EmbeddedResource embedded(String uri, String mimeType, String text) {
    return EmbeddedResource.builder(TextResourceContents.builder(uri, text).mimeType(mimeType).build()).build();
  }

  private static CallToolResult result(Content... content) {
    return CallToolResult.builder().content(List.of(content)).isError(false).build();
  }

  /** The pauses the scenarios ask for between notifications (the fixture's own work, not test synchronization). */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
