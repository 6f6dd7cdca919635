package dev.switchboard.config;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads {@code servers}: one {@link ServerConfig} per backend, in file order, disabled ones left out. */
final class ServerSection {
  static final List<String> KEYS = List.of("command", "args", "env", "cwd", "url", "headers", "transport",
      "prefix", "default", "timeout", "max_timeout", "requires", "disabled");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{0,32}");
  private static final String COMMAND_EXAMPLE = "[node, server.js]";
  private static final Map<String, ServerConfig.Transport> TRANSPORTS = orderedTransports();

  private final NodeReader reader;
  private final Path base;

  private ServerSection(NodeReader reader, Path base) {
    this.reader = reader;
    this.base = base;
  }

  /** @param base the directory relative {@code command[0]} and {@code cwd} are resolved against */
  static Map<String, ServerConfig> read(NodeReader reader, Node node, Path base) {
    return new ServerSection(reader, base).read(node);
  }

  private Map<String, ServerConfig> read(Node node) {
    Map<String, ServerConfig> servers = new LinkedHashMap<>();
    Fields section = reader.map(node, "servers", "a map of server names to settings", null);
    if (section == null) {
      return servers;
    }
    String defaultServer = null;
    for (Fields.Entry entry : section.entries()) {
      String name = entry.key();
      String path = section.path(name);
      if (!NAME.matcher(name).matches()) {
        reader.error(entry.keyNode(), "invalid server name '" + name
            + "' in servers; expected 1 to 64 letters, digits, '_' or '-'");
      }
      if (NodeReader.absent(entry.value())) {
        reader.error(entry.keyNode(), path + ": expected a map with command or url, got nothing");
        continue;
      }
      Fields server = reader.map(entry.value(), path, "a map with command or url", KEYS);
      if (server == null) {
        continue;
      }
      ServerConfig config = server(name, entry.keyNode(), server);
      if (Boolean.TRUE.equals(server.bool("disabled"))) {
        continue;
      }
      if (config.isDefault()) {
        if (defaultServer != null) {
          reader.error(server.keyNode("default"), path + ".default: only one server can be the default, but "
              + section.path(defaultServer) + " is the default too");
        } else {
          defaultServer = name;
        }
      }
      servers.put(name, config);
    }
    return servers;
  }

  private ServerConfig server(String name, Node keyNode, Fields server) {
    String path = server.path();
    boolean stdio = server.has("command");
    if (stdio && server.has("url")) {
      reader.error(server.keyNode("url"), path + ": has both command and url; a server is either a child"
          + " process (command) or a remote endpoint (url)");
    } else if (!stdio && !server.has("url")) {
      reader.error(keyNode, path + ": missing command or url; expected e.g. command: " + COMMAND_EXAMPLE
          + " or url: http://127.0.0.1:9001/mcp");
    }
    for (String key : List.of("args", "env", "cwd")) {
      if (server.has(key) && !stdio && server.has("url")) {
        reader.error(server.keyNode(key), server.path(key) + ": only allowed with command, not with url");
      }
    }
    for (String key : List.of("headers", "transport")) {
      if (server.has(key) && stdio) {
        reader.error(server.keyNode(key), server.path(key) + ": only allowed with url, not with command");
      }
    }
    List<String> command = command(server);
    Map<String, String> env = reader.secretMap(server.value("env"), server.path("env"), "a map like {NAME: value}");
    Path cwd = reader.path(server.value("cwd"), server.path("cwd"), base);
    URI url = reader.httpUrl(server.value("url"), server.path("url"));
    Map<String, String> headers =
        reader.secretMap(server.value("headers"), server.path("headers"), "a map like {Authorization: ...}");
    ServerConfig.Transport transport =
        reader.choice(server.value("transport"), server.path("transport"), TRANSPORTS);
    String prefix = prefix(server);
    Boolean isDefault = server.bool("default");
    Duration timeout = server.duration("timeout");
    Duration maxTimeout = server.duration("max_timeout");
    if (timeout != null && maxTimeout != null && maxTimeout.compareTo(timeout) < 0) {
      reader.error(server.keyNode("max_timeout"), path + ".max_timeout must not be shorter than " + path + ".timeout");
    }
    List<String> requires = server.strings("requires", "[db.read]");
    return new ServerConfig(name, command, env, cwd, stdio ? null : url, headers, transport, prefix,
        Boolean.TRUE.equals(isDefault), timeout, maxTimeout, requires, reader.problems().position(keyNode));
  }

  /** {@code command: [node, server.js]}, or {@code command: node} with {@code args: [server.js]}. */
  private List<String> command(Fields server) {
    Node node = server.value("command");
    String path = server.path("command");
    String expected = "a list of strings like " + COMMAND_EXAMPLE;
    List<NodeReader.Text> command;
    if (NodeReader.absent(node)) {
      return null;
    } else if ("a string".equals(NodeReader.kind(node))) {
      NodeReader.Text program = reader.string(node, path, expected);
      command = program == null ? null : List.of(program);
      if (program != null && program.value().isEmpty()) {
        reader.error(node, path + ": must not be empty");
        command = null;
      } else if (program != null && !server.has("args") && !program.value().contains("/")
          && program.value().strip().contains(" ")) {
        reader.problems().warn(node, path + ": " + program.shown() + " is run as one program name;"
            + " write a list like " + COMMAND_EXAMPLE + " to pass arguments");
      }
    } else if (node instanceof SequenceNode sequence && sequence.getValue().isEmpty()) {
      reader.error(node, path + ": expected " + expected + ", got an empty list");
      return null;
    } else if (node instanceof SequenceNode) {
      command = reader.texts(node, path, COMMAND_EXAMPLE, true, false);
    } else {
      reader.expected(node, path, expected);
      return null;
    }
    List<NodeReader.Text> args = reader.texts(server.value("args"), server.path("args"), "[server.js, --port, 8080]",
        true, true);
    if (command == null) {
      return null;
    }
    List<String> result = new ArrayList<>();
    result.add(program(command.get(0), path + "[0]"));
    command.subList(1, command.size()).forEach(text -> result.add(text.value()));
    if (args != null) {
      args.forEach(text -> result.add(text.value()));
    }
    return result;
  }

  /** A program with a '/' is a path: resolved against the config directory. Bare names are looked up in PATH. */
  private String program(NodeReader.Text program, String path) {
    if (!program.value().contains("/")) {
      return program.value();
    }
    try {
      return base.resolve(program.value()).normalize().toString();
    } catch (InvalidPathException invalid) {
      reader.error(program.node(), "invalid path " + program.shown() + " for " + path);
      return program.value();
    }
  }

  private String prefix(Fields server) {
    NodeReader.Text prefix = server.string("prefix", "a string like db_");
    if (prefix != null && !PREFIX.matcher(prefix.value()).matches()) {
      reader.error(prefix.node(), "invalid prefix " + prefix.shown() + " for " + server.path("prefix")
          + "; expected up to 32 letters, digits, '_', '.' or '-'");
      return null;
    }
    return prefix == null ? null : prefix.value();
  }

  private static Map<String, ServerConfig.Transport> orderedTransports() {
    Map<String, ServerConfig.Transport> transports = new LinkedHashMap<>();
    transports.put("auto", ServerConfig.Transport.AUTO);
    transports.put("streamable-http", ServerConfig.Transport.STREAMABLE_HTTP);
    transports.put("sse", ServerConfig.Transport.SSE);
    return transports;
  }
}
