package dev.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code files} demo: reading and listing inside the sandbox root, and nothing outside it. */
class FilesDemoTest {
  @TempDir
  Path root;
  @TempDir
  Path outside;

  private InProcessServer server;

  @BeforeEach
  void startServer() throws Exception {
    Files.writeString(root.resolve("hello.txt"), "Hello, sandbox!\n");
    Files.createDirectories(root.resolve("docs/deep"));
    Files.writeString(root.resolve("docs/notes.md"), "# Notes\nné, 日本\n");
    Files.writeString(outside.resolve("secret.txt"), "top secret");
    server = new InProcessServer(DemoServers.create("files", List.of("--root", root.toString()), Map.of()));
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.close();
  }

  private JsonNode read(String path) {
    return server.callTool("read_file", Json.object().put("path", path));
  }

  private JsonNode list(String path) {
    return server.callTool("list_files", path == null ? Json.object() : Json.object().put("path", path));
  }

  private static String text(JsonNode result) {
    return result.at("/content/0/text").asText();
  }

  private static void assertToolError(JsonNode result, String message) {
    assertThat(result.get("isError").asBoolean()).as("isError of %s", result).isTrue();
    assertThat(text(result)).isEqualTo(message);
  }

  @Test
  void readFileReturnsUtf8TextAsText() {
    assertThat(read("hello.txt")).isEqualTo(Json.parse("""
        {"content":[{"type":"text","text":"Hello, sandbox!\\n"}],"isError":false}"""));
    assertThat(text(read("docs/notes.md"))).isEqualTo("# Notes\nné, 日本\n");
    assertThat(text(read("docs/../hello.txt"))).isEqualTo("Hello, sandbox!\n");
  }

  @Test
  void anAbsolutePathInsideTheRootIsAccepted() {
    assertThat(text(read(root.resolve("hello.txt").toString()))).isEqualTo("Hello, sandbox!\n");
  }

  @Test
  void listFilesReturnsEntriesSortedByNameWithTypesAndSizes() throws Exception {
    Files.write(root.resolve("a.bin"), new byte[] {1, 2, 3});

    JsonNode result = list(null);

    assertThat(result.get("structuredContent")).isEqualTo(Json.parse("""
        {"path":".","entries":[
          {"name":"a.bin","type":"file","size":3},
          {"name":"docs","type":"dir"},
          {"name":"hello.txt","type":"file","size":16}],
         "truncated":false}"""));
    assertThat(text(result)).isEqualTo("""
        . (3 entries)
        file    a.bin  (3 bytes)
        dir     docs/
        file    hello.txt  (16 bytes)""");
    assertThat(list("docs").at("/structuredContent/entries").findValuesAsText("name")).containsExactly("deep", "notes.md");
    assertThat(list("docs").at("/structuredContent/path").asText()).isEqualTo("docs");
  }

  @Test
  void dotDotOutOfTheRootIsRefused() {
    assertToolError(read("../etc/passwd"), "Path escapes the sandbox root: ../etc/passwd");
    assertToolError(read("docs/../../" + outside.getFileName() + "/secret.txt"),
        "Path escapes the sandbox root: docs/../../" + outside.getFileName() + "/secret.txt");
    assertToolError(list(".."), "Path escapes the sandbox root: ..");
  }

  @Test
  void anAbsolutePathOutsideTheRootIsRefused() {
    String secret = outside.resolve("secret.txt").toString();

    assertToolError(read(secret), "Path escapes the sandbox root: " + secret);
    assertToolError(read("/etc/passwd"), "Path escapes the sandbox root: /etc/passwd");
    assertToolError(list("/"), "Path escapes the sandbox root: /");
  }

  @Test
  void aSymlinkPointingOutsideIsRefusedWhereverItIsInThePath() throws Exception {
    Files.createSymbolicLink(root.resolve("leak.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("docs/out"), outside);
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("does-not-exist"));

    assertToolError(read("leak.txt"), "Path escapes the sandbox root: leak.txt");
    assertToolError(read("docs/out/secret.txt"), "Path escapes the sandbox root: docs/out/secret.txt");
    assertToolError(read("docs/out/missing.txt"), "Path escapes the sandbox root: docs/out/missing.txt");
    assertToolError(list("docs/out"), "Path escapes the sandbox root: docs/out");
    assertToolError(read("dangling"), "Path escapes the sandbox root: dangling");
    // Listing shows the links themselves, without following them.
    assertThat(list("docs").at("/structuredContent/entries").toString()).contains("{\"name\":\"out\",\"type\":\"symlink\"}");
  }

  @Test
  void aSymlinkStayingInsideTheRootIsFollowed() throws Exception {
    Files.createSymbolicLink(root.resolve("docs/link-to-hello"), Path.of("../hello.txt"));

    assertThat(text(read("docs/link-to-hello"))).isEqualTo("Hello, sandbox!\n");
  }

  @Test
  void aMissingFileIsAToolErrorNamingIt() {
    assertToolError(read("nope.txt"), "No such file: nope.txt");
    assertToolError(read("docs/deep/nope/nope.txt"), "No such file: docs/deep/nope/nope.txt");
    assertToolError(list("nowhere"), "No such file: nowhere");
    assertToolError(server.callTool("read_file", Json.object()),
        "Missing required argument: path (a file path relative to the sandbox root)");
  }

  @Test
  void readFileOfADirectoryOrListFilesOfAFileIsAToolError() {
    assertToolError(read("docs"), "Not a file: docs is a directory (use list_files)");
    assertToolError(list("hello.txt"), "Not a directory: hello.txt (use read_file)");
  }

  @Test
  void aBinaryFileComesBackAsABase64Resource() throws Exception {
    byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
    Files.write(root.resolve("image.bin"), bytes);

    JsonNode content = read("image.bin").at("/content/0");

    assertThat(content.get("type").asText()).isEqualTo("resource");
    assertThat(content.at("/resource/uri").asText()).isEqualTo(root.toRealPath().resolve("image.bin").toUri().toString());
    assertThat(content.at("/resource/mimeType").asText()).isNotBlank();
    assertThat(Base64.getDecoder().decode(content.at("/resource/blob").asText())).isEqualTo(bytes);
  }

  @Test
  void aFileOverTheSizeLimitIsRefused() throws Exception {
    Files.write(root.resolve("big.txt"), "x".repeat(FileTools.MAX_FILE_BYTES + 1).getBytes(StandardCharsets.US_ASCII));
    Files.write(root.resolve("limit.txt"), "y".repeat(FileTools.MAX_FILE_BYTES).getBytes(StandardCharsets.US_ASCII));

    assertToolError(read("big.txt"), "File too large: big.txt is 1048577 bytes; read_file reads at most 1048576 bytes (1 MiB)");
    assertThat(text(read("limit.txt"))).hasSize(FileTools.MAX_FILE_BYTES);
  }

  @Test
  void theRootComesFromTheOptionThenTheEnvironment() throws Exception {
    McpStdioServer fromEnv = DemoServers.create("files", List.of(), Map.of("SWITCHBOARD_FILES_ROOT", outside.toString()));
    try (InProcessServer other = new InProcessServer(fromEnv)) {
      assertThat(other.callTool("read_file", Json.object().put("path", "secret.txt")).at("/content/0/text").asText())
          .isEqualTo("top secret");
    }
  }
}
