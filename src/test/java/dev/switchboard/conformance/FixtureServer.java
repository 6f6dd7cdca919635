package dev.switchboard.conformance;

import dev.switchboard.testing.EndAtExit;
import dev.switchboard.testing.NpmTools;
import dev.switchboard.testing.TestJava;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@link ConformanceFixture} in {@code --http} mode as a child process on a free port of
 * 127.0.0.1; {@link #start} returns once the port accepts connections. Its output goes to
 * {@code fixture.log} in the given directory, quoted when it fails to start.
 */
final class FixtureServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private FixtureServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static FixtureServer start(Path dir) throws IOException {
    int port = NpmTools.freePort();
    Files.createDirectories(dir);
    Path log = dir.resolve("fixture.log");
    List<String> command = new ArrayList<>(TestJava.command(ConformanceFixture.class.getName()));
    command.addAll(List.of("--http", Integer.toString(port)));
    Process process = EndAtExit.register(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    FixtureServer server = new FixtureServer(process, port);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
        if (!process.isAlive()) {
          throw new AssertionError("the conformance fixture exited with " + process.exitValue() + "; output:\n"
              + Files.readString(log));
        }
        return accepts(port);
      });
    } catch (ConditionTimeoutException | AssertionError e) {
      server.close();
      throw new AssertionError("the conformance fixture did not start on 127.0.0.1:" + port + "; output:\n"
          + Files.readString(log), e);
    }
    return server;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port + "/mcp");
  }

  @Override
  public void close() {
    NpmTools.stop(process);
  }
}
