package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonRpc;
import dev.switchboard.jsonrpc.LineReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake stateless-era (2026-07-28) MCP server on stdio, run as a real child process; its behaviour is
 * {@link ModernFake}'s. Arguments: {@code --name N}, {@code --record FILE} (every message received,
 * one JSON line each). {@code notifications/cancelled} interrupts a call or ends a listen stream. One
 * tool more than the shared ones: {@code crash {code}} exits the process mid-call.
 */
public final class FakeModernBackend {
  private final ModernFake fake;
  private final Path record;
  private final OutputStream out;
  private final Map<String, ModernFake.Listener> listening = new ConcurrentHashMap<>();

  private FakeModernBackend(Map<String, String> options, OutputStream out) {
    this.fake = new ModernFake(options.getOrDefault("--name", "fake-modern"));
    this.record = options.containsKey("--record") ? Path.of(options.get("--record")) : null;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    OutputStream protocol = new FileOutputStream(java.io.FileDescriptor.out);
    System.setOut(new PrintStream(new FileOutputStream(java.io.FileDescriptor.err), true));
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      options.put(args[i], flag ? "" : args[++i]);
    }
    new FakeModernBackend(options, protocol).run();
    System.exit(0);
  }

  /** A command line that runs this fake, for a server's {@code command:} in YAML flow style. */
  public static String command(String... args) {
    List<String> command = new ArrayList<>(TestJava.command(FakeModernBackend.class.getName()));
    command.addAll(List.of(args));
    StringBuilder yaml = new StringBuilder("[");
    for (int i = 0; i < command.size(); i++) {
      yaml.append(i == 0 ? "" : ", ").append('"').append(command.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return yaml.append(']').toString();
  }

  private void run() throws IOException {
    LineReader reader = new LineReader(System.in, 16 * 1024 * 1024);
    byte[] line;
    while ((line = reader.readLine()) != null) {
      if (record != null) {
        byte[] withNewline = Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        Files.write(record, withNewline, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      JsonNode message = Json.parse(line, 0, line.length);
      String method = JsonRpc.method(message);
      if (method == null) {
        continue;
      }
      if (!message.has("id")) {
        if ("notifications/cancelled".equals(method)) {
          JsonNode requestId = JsonRpc.params(message).get("requestId");
          ModernFake.Listener listener = requestId == null ? null : listening.remove(requestId.toString());
          if (listener != null) {
            fake.unlisten(listener);
          } else {
            fake.cancel(requestId);
          }
        }
        continue;
      }
      ObjectNode request = (ObjectNode) message;
      if ("subscriptions/listen".equals(method)) {
        try {
          listening.put(request.get("id").toString(), fake.listen(request, this::send));
        } catch (ModernFake.Failure e) {
          send(e.response(request.get("id")));
        }
        continue;
      }
      if ("tools/call".equals(method) && "crash".equals(JsonRpc.params(request).path("name").asText())) {
        System.err.println("fake modern backend crashing on purpose");
        System.exit(JsonRpc.params(request).path("arguments").path("code").asInt(3));
      }
      Thread.ofVirtual().start(() -> {
        ObjectNode response = fake.handle(request, this::send);
        if (response != null) {
          send(response);
        }
      });
    }
  }

  private synchronized void send(ObjectNode message) {
    try {
      out.write(Json.writeBytes(message));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      System.exit(0);
    }
  }
}
