package dev.switchboard.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Loads {@code switchboard.yaml} into a validated {@link SwitchboardConfig}.
 *
 * <p>Contract: either a complete config comes back, or a {@link ConfigException} listing every problem
 * found, one line each, {@code FILE:LINE:COLUMN: message}, sorted by position. A message names the key by
 * its path ({@code servers.database.command}) and says what was expected. {@code ${VAR}} and
 * {@code ${VAR:-default}} in string values are taken from the given environment; no message ever shows a
 * value of {@code env}, {@code headers}, {@code token}, {@code token_sha256} or a value that came from the
 * environment. Nothing here throws anything but {@link ConfigException} for a bad config.
 */
public final class ConfigLoader {
  /** The name errors use for the built-in demo config. */
  public static final String DEMO_SOURCE_NAME = "<built-in demo config>";

  static final List<String> TOP_KEYS = List.of("listen", "hub", "servers", "users", "auth", "stdio", "tools",
      "resources", "prompts", "cache", "admin", "audit", "http");

  private static final String DEMO_RESOURCE = "/dev/switchboard/config/demo.yaml";

  /** What one reading produced: a config when there are no errors, and all problem lines. */
  private record Outcome(SwitchboardConfig config, List<String> errors, List<String> warnings) {}

  private ConfigLoader() {}

  /**
   * Reads and validates a config file; errors name the file as given.
   *
   * @throws ConfigException if the file cannot be read (one line naming the path) or the config is invalid
   */
  public static SwitchboardConfig load(Path file, Map<String, String> env) throws ConfigException {
    return parse(read(file), file.toString(), file, env);
  }

  /**
   * Parses and validates config text.
   *
   * @param sourceName how problem lines name the source
   * @param sourceOrNull the file, to resolve relative paths against its directory; null = the working directory
   * @throws ConfigException listing every problem
   */
  public static SwitchboardConfig parse(String yamlText, String sourceName, Path sourceOrNull,
      Map<String, String> env) throws ConfigException {
    Outcome outcome = read(yamlText, sourceName, sourceOrNull, env);
    if (!outcome.errors().isEmpty()) {
      throw new ConfigException(outcome.errors());
    }
    return outcome.config();
  }

  /** The config used when there is no config file: the three demo backends shipped inside Switchboard. */
  public static SwitchboardConfig builtInDemo(Map<String, String> env) {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEMO_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + DEMO_RESOURCE);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEMO_SOURCE_NAME, null, env);
    } catch (IOException | ConfigException e) {
      throw new IllegalStateException("the built-in demo config is broken: " + e.getMessage(), e);
    }
  }

  /**
   * For {@code switchboard check}: every problem line of the file, errors first, then warnings
   * ({@code FILE:LINE:COLUMN: warning: ...}) about things that are legal but probably not meant. An empty
   * list, or one with only warning lines, means the config loads. Never throws for a bad or missing file.
   */
  public static List<String> check(Path file, Map<String, String> env) {
    String text;
    try {
      text = read(file);
    } catch (ConfigException unreadable) {
      return unreadable.problems();
    }
    Outcome outcome = read(text, file.toString(), file, env);
    return Stream.concat(outcome.errors().stream(), outcome.warnings().stream()).toList();
  }

  private static String read(Path file) throws ConfigException {
    String reason;
    try {
      if (Files.isDirectory(file)) {
        reason = "it is a directory";
      } else {
        return Files.readString(file);
      }
    } catch (NoSuchFileException e) {
      reason = "no such file";
    } catch (AccessDeniedException e) {
      reason = "permission denied";
    } catch (CharacterCodingException e) {
      reason = "it is not UTF-8 text";
    } catch (IOException e) {
      reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    throw new ConfigException(List.of(file + ": cannot read the config file: " + reason));
  }

  private static Outcome read(String yamlText, String sourceName, Path source, Map<String, String> env) {
    Problems problems = new Problems(sourceName);
    Optional<Node> root = compose(yamlText, sourceName, problems);
    SwitchboardConfig config = null;
    if (!problems.hasErrors()) {
      config = build(root.orElse(null), sourceName, source, new NodeReader(problems, env));
    }
    return new Outcome(problems.hasErrors() ? null : config, problems.errors(), problems.warnings());
  }

  private static Optional<Node> compose(String yamlText, String sourceName, Problems problems) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(sourceName)
        .setSchema(new CoreSchema())
        .setUseMarks(true)
        .setAllowNonScalarKeys(true) // so that such a key is reported with its position, by Fields
        .build();
    try {
      return new Compose(settings).composeString(yamlText);
    } catch (MarkedYamlEngineException e) {
      String context = e.getContext() == null || e.getContext().isEmpty() ? "" : " (" + e.getContext()
          + e.getContextMark().map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)).orElse("")
          + ")";
      Position at = e.getProblemMark().or(e::getContextMark).map(problems::position)
          .orElse(new Position(sourceName, 1, 1));
      problems.errorAt(at.line(), at.column(), "invalid YAML: " + e.getProblem() + context);
    } catch (YamlEngineException e) {
      problems.errorAt(1, 1, "invalid YAML: " + e.getMessage());
    }
    return Optional.empty();
  }

  private static SwitchboardConfig build(Node root, String sourceName, Path source, NodeReader reader) {
    Path base = SwitchboardConfig.baseDirectoryOf(source);
    if (NodeReader.absent(root)) {
      return new SwitchboardConfig(source, sourceName, Listen.DEFAULT, HubSettings.DEFAULTS, null, null, null,
          StdioConfig.DEFAULT, null, null, null, CacheConfig.DEFAULT, null, AuditConfig.STDERR, HttpConfig.DEFAULT);
    }
    if (!(root instanceof MappingNode mapping)) {
      reader.error(root, "expected a map of settings at the top level (" + String.join(", ", TOP_KEYS)
          + "), got " + NodeReader.kind(root));
      return null;
    }
    Fields top = new Fields(reader, mapping, "", TOP_KEYS);
    return new SwitchboardConfig(
        source,
        sourceName,
        SettingsSection.listen(reader, top.value("listen")),
        SettingsSection.hub(reader, top.value("hub")),
        ServerSection.read(reader, top.value("servers"), base),
        AccessSection.users(reader, top.value("users")),
        AccessSection.auth(reader, top.value("auth"), base),
        AccessSection.stdio(reader, top.value("stdio"), AccessSection.userNames(top.value("users"))),
        PolicySection.items(reader, top.value("tools"), "tools"),
        PolicySection.prompts(reader, top.value("prompts")),
        PolicySection.items(reader, top.value("resources"), "resources"),
        SettingsSection.cache(reader, top.value("cache")),
        AccessSection.admin(reader, top.keyNode("admin"), top.value("admin")),
        SettingsSection.audit(reader, top.value("audit"), base),
        SettingsSection.http(reader, top.value("http")));
  }
}
