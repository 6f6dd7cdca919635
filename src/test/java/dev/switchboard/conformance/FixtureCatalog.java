package dev.switchboard.conformance;

import static dev.switchboard.conformance.FixtureTools.RED_PIXEL_PNG;
import static dev.switchboard.conformance.FixtureTools.embedded;
import static dev.switchboard.conformance.FixtureTools.text;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult.CompleteCompletion;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources, resource template, prompts and completions of {@link ConformanceFixture}, with the
 * URIs and names the MCP conformance suite asks for ({@code test://static-text},
 * {@code test://template/{id}/data}, {@code test_prompt_with_arguments}, …).
 */
final class FixtureCatalog {
  private static final Pattern TEMPLATE_URI = Pattern.compile("test://template/([^/]+)/data");
  private static final List<String> CITIES = List.of("paris", "park", "party", "test", "testing", "tester");

  private FixtureCatalog() {}

  static List<SyncResourceSpecification> resources() {
    return List.of(
        textResource("test://static-text", "Static Text Resource", "A static text resource",
            "This is the content of the static text resource."),
        new SyncResourceSpecification(
            Resource.builder("test://static-binary", "Static Binary Resource")
                .description("A static binary resource (a 1x1 red PNG)").mimeType("image/png").build(),
            (exchange, request) -> contents(
                BlobResourceContents.builder("test://static-binary", RED_PIXEL_PNG).mimeType("image/png").build())),
        textResource("test://watched-resource", "Watched Resource", "A resource clients can subscribe to",
            "Watched resource content"));
  }

  private static SyncResourceSpecification textResource(String uri, String name, String description, String text) {
    return new SyncResourceSpecification(
        Resource.builder(uri, name).description(description).mimeType("text/plain").build(),
        (exchange, request) -> contents(TextResourceContents.builder(uri, text).mimeType("text/plain").build()));
  }

  static List<SyncResourceTemplateSpecification> templates() {
    return List.of(new SyncResourceTemplateSpecification(
        ResourceTemplate.builder("test://template/{id}/data", "Template Resource")
            .description("A resource template that substitutes {id}").mimeType("application/json").build(),
        (exchange, request) -> {
          Matcher matcher = TEMPLATE_URI.matcher(request.uri());
          String id = matcher.matches() ? matcher.group(1) : "";
          String json = "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}";
          return contents(TextResourceContents.builder(request.uri(), json).mimeType("application/json").build());
        }));
  }

  static List<SyncPromptSpecification> prompts() {
    return List.of(
        new SyncPromptSpecification(
            Prompt.builder("test_simple_prompt").description("A prompt without arguments").arguments(List.of()).build(),
            (exchange, request) -> messages(user(text("This is a simple prompt for testing.")))),
        new SyncPromptSpecification(
            Prompt.builder("test_prompt_with_arguments").description("A prompt with two required arguments")
                .arguments(List.of(argument("arg1", "First test argument"), argument("arg2", "Second test argument")))
                .build(),
            (exchange, request) -> messages(user(text("Prompt with arguments: arg1='" + arg(request.arguments(), "arg1")
                + "', arg2='" + arg(request.arguments(), "arg2") + "'")))),
        new SyncPromptSpecification(
            Prompt.builder("test_prompt_with_embedded_resource").description("A prompt embedding a resource")
                .arguments(List.of(argument("resourceUri", "URI of the resource to embed"))).build(),
            (exchange, request) -> messages(
                user(embedded(arg(request.arguments(), "resourceUri"), "text/plain", "Embedded resource content for testing.")),
                user(text("Please process the embedded resource above.")))),
        new SyncPromptSpecification(
            Prompt.builder("test_prompt_with_image").description("A prompt with an image").arguments(List.of()).build(),
            (exchange, request) -> messages(
                user(ImageContent.builder(RED_PIXEL_PNG, "image/png").build()),
                user(text("Please analyze the image above.")))));
  }

  /** Suggestions for both arguments of test_prompt_with_arguments: the known words starting with the typed value. */
  static List<SyncCompletionSpecification> completions() {
    return List.of(new SyncCompletionSpecification(new PromptReference("test_prompt_with_arguments"),
        (exchange, request) -> {
          String typed = request.argument().value() == null ? "" : request.argument().value();
          List<String> values = CITIES.stream().filter(v -> v.startsWith(typed)).toList();
          return new CompleteResult(new CompleteCompletion(values, values.size(), false));
        }));
  }

  private static PromptArgument argument(String name, String description) {
    return PromptArgument.builder(name).description(description).required(true).build();
  }

  private static String arg(Map<String, Object> arguments, String name) {
    Object value = arguments == null ? null : arguments.get(name);
    return value == null ? "" : value.toString();
  }

  private static PromptMessage user(io.modelcontextprotocol.spec.McpSchema.Content content) {
    return PromptMessage.builder(Role.USER, content).build();
  }

  private static GetPromptResult messages(PromptMessage... messages) {
    return GetPromptResult.builder(List.of(messages)).build();
  }

  private static ReadResourceResult contents(ResourceContents contents) {
    return ReadResourceResult.builder(List.of(contents)).build();
  }
}
