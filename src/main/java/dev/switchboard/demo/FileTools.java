package dev.switchboard.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The tools of the {@code files} demo server: {@code read_file} and {@code list_files}, read-only,
 * inside a {@link Sandbox}. Text files come back as text; other files as an embedded resource with
 * base64 content.
 */
final class FileTools {
  static final int MAX_FILE_BYTES = 1024 * 1024;
  static final int MAX_ENTRIES = 1000;

  private final Sandbox sandbox;

  FileTools(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  List<DemoTool> tools() {
    return List.of(readFile(), listFiles());
  }

  private DemoTool readFile() {
    ObjectNode input = Json.object().put("type", "object");
    input.putObject("properties").putObject("path")
        .put("type", "string")
        .put("description", "File path relative to the sandbox root (or absolute inside it)");
    input.putArray("required").add("path");
    input.put("additionalProperties", false);
    return new DemoTool("read_file", "Read a file",
        "Reads a file inside the sandbox root (at most 1 MiB). UTF-8 text is returned as text; other files as a "
            + "base64 resource.",
        input,
        DemoTool.annotations("Read a file", true, false, true, false),
        (args, ctx) -> read(ToolArguments.requiredString(args, "path", "a file path relative to the sandbox root")));
  }

  private DemoTool listFiles() {
    ObjectNode input = Json.object().put("type", "object");
    input.putObject("properties").putObject("path")
        .put("type", "string")
        .put("description", "Directory relative to the sandbox root; the root itself when omitted");
    input.put("additionalProperties", false);

    ObjectNode output = Json.object().put("type", "object");
    ObjectNode props = output.putObject("properties");
    props.putObject("path").put("type", "string");
    ObjectNode entry = props.putObject("entries").put("type", "array").putObject("items").put("type", "object");
    ObjectNode entryProps = entry.putObject("properties");
    entryProps.putObject("name").put("type", "string");
    entryProps.putObject("type").put("type", "string").putArray("enum").add("file").add("dir").add("symlink").add("other");
    entryProps.putObject("size").put("type", "integer");
    entry.putArray("required").add("name").add("type");
    props.putObject("truncated").put("type", "boolean");
    output.putArray("required").add("path").add("entries").add("truncated");

    return new DemoTool("list_files", "List files",
        "Lists a directory inside the sandbox root: name, type (file, dir, symlink, other) and size, sorted by name.",
        input, output,
        DemoTool.annotations("List files", true, false, true, false),
        (args, ctx) -> list(ToolArguments.optionalString(args, "path", ".")));
  }

  private ObjectNode read(String given) {
    Path file = sandbox.resolve(given);
    if (Files.isDirectory(file)) {
      throw new ToolFailure("Not a file: " + given + " is a directory (use list_files)");
    }
    if (!Files.isRegularFile(file)) {
      throw new ToolFailure("Not a regular file: " + given);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new ToolFailure("Cannot read " + given + ": " + e.getMessage());
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ToolFailure("File too large: " + given + " is " + sizeOf(file) + " bytes; read_file reads at most "
          + MAX_FILE_BYTES + " bytes (1 MiB)");
    }
    String text = utf8Text(bytes);
    if (text != null) {
      return ToolResults.text(text);
    }
    ObjectNode resource = Json.object();
    resource.put("uri", file.toUri().toString());
    resource.put("mimeType", mimeType(file));
    resource.put("blob", Base64.getEncoder().encodeToString(bytes));
    ObjectNode content = Json.object();
    content.put("type", "resource");
    content.set("resource", resource);
    return ToolResults.content(Json.array().add(content));
  }

  private ObjectNode list(String given) {
    Path dir = sandbox.resolve(given.isEmpty() ? "." : given);
    if (!Files.isDirectory(dir)) {
      throw new ToolFailure("Not a directory: " + given + " (use read_file)");
    }
    record Entry(String name, String type, long size) {}
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path child : stream) {
        // Not following links: a link's target may be outside the sandbox.
        BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String type = attrs.isSymbolicLink() ? "symlink" : attrs.isDirectory() ? "dir" : attrs.isRegularFile() ? "file" : "other";
        entries.add(new Entry(child.getFileName().toString(), type, attrs.isRegularFile() ? attrs.size() : -1));
      }
    } catch (IOException e) {
      throw new ToolFailure("Cannot list " + given + ": " + e.getMessage());
    }
    entries.sort(Comparator.comparing(Entry::name));
    boolean truncated = entries.size() > MAX_ENTRIES;
    List<Entry> shown = truncated ? entries.subList(0, MAX_ENTRIES) : entries;

    String relative = sandbox.relative(dir);
    ObjectNode structured = Json.object();
    structured.put("path", relative);
    ArrayNode array = structured.putArray("entries");
    StringBuilder text = new StringBuilder()
        .append(relative).append(" (").append(entries.size()).append(entries.size() == 1 ? " entry" : " entries").append(")");
    for (Entry e : shown) {
      ObjectNode node = array.addObject().put("name", e.name()).put("type", e.type());
      text.append('\n').append(String.format("%-7s %s", e.type(), e.name()));
      switch (e.type()) {
        case "file" -> {
          node.put("size", e.size());
          text.append("  (").append(e.size()).append(e.size() == 1 ? " byte)" : " bytes)");
        }
        case "dir" -> text.append('/');
        default -> { }
      }
    }
    structured.put("truncated", truncated);
    if (truncated) {
      text.append("\n… showing the first ").append(MAX_ENTRIES).append(" entries only");
    }
    return ToolResults.structured(text.toString(), structured);
  }

  /** The text of a strict UTF-8 file without NUL bytes, or null when it looks binary. */
  static String utf8Text(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String mimeType(Path file) {
    try {
      String probed = Files.probeContentType(file);
      return probed != null ? probed : "application/octet-stream";
    } catch (IOException e) {
      return "application/octet-stream";
    }
  }

  private static String sizeOf(Path file) {
    try {
      return String.valueOf(Files.size(file));
    } catch (IOException e) {
      return "more than " + MAX_FILE_BYTES;
    }
  }
}
