package dev.switchboard.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The npm tools installed by {@code bin/npm-tools} (into .cache/npm-tools, or
 * $SWITCHBOARD_NPM_TOOLS): MCP servers, a Node 22 binary, and the MCP conformance suite in two
 * versions. Without them a test is skipped locally and fails in CI (CI=true), where .ci/run
 * installs them first.
 */
public final class NpmTools {
  private NpmTools() {}

  public static Path home() {
    String configured = System.getenv("SWITCHBOARD_NPM_TOOLS");
    return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.dir"), ".cache", "npm-tools");
  }

  /** The entry script of an @modelcontextprotocol package, after checking node and the package are there. */
  public static Path require(String pkg) {
    return require(pkg, "dist/index.js");
  }

  /** A script inside an @modelcontextprotocol package (e.g. inspector's clients/cli/build/index.js), checked like {@link #require(String)}. */
  public static Path require(String pkg, String script) {
    Path main = home().resolve("node_modules/@modelcontextprotocol/" + pkg + "/" + script);
    String problem = null;
    if (!Files.exists(main)) {
      problem = "@modelcontextprotocol/" + pkg + " is not installed at " + main + "; run bin/npm-tools";
    } else if (!onPath("node")) {
      problem = "node is not on PATH";
    }
    if (problem != null) {
      missing(problem);
    }
    return main;
  }

  /** The Node 22 binary of the npm package {@code node@22} (the conformance suite needs Node 22). */
  public static Path node22() {
    Path node = home().resolve("node_modules/node/bin/node");
    if (!Files.isExecutable(node)) {
      missing("Node 22 is not installed at " + node + "; run bin/npm-tools");
    }
    return node;
  }

  /**
   * The entry script of the MCP conformance suite installed under the npm alias {@code alias}
   * ({@code conformance-0.1}, {@code conformance-0.2}; see bin/npm-tools).
   */
  public static Path conformanceSuite(String alias) {
    Path main = home().resolve("node_modules/" + alias + "/dist/index.js");
    if (!Files.exists(main)) {
      missing("the MCP conformance suite '" + alias + "' is not installed at " + main + "; run bin/npm-tools");
    }
    return main;
  }

  /** Skips the test, or fails it in CI, where every npm tool must be there. */
  private static void missing(String problem) {
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(problem);
    }
    Assumptions.abort(problem);
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** The preload that binds npm HTTP servers to 127.0.0.1. */
  public static Path bindLoopback() {
    try {
      return Path.of(NpmTools.class.getResource("/bind-loopback.cjs").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Starts an npm server's HTTP mode on 127.0.0.1:port and waits until it accepts connections. */
  public static Process startHttp(Path main, String mode, int port) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", "--require", bindLoopback().toString(), main.toString(), mode));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(Map.of("PORT", Integer.toString(port)));
    Process process = builder.start();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("npm server " + mode + " exited with " + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        return false;
      }
    });
    return process;
  }

  /** Ends a process and everything it started. */
  public static void stop(Process process) {
    if (process == null) {
      return;
    }
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    tree.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.forEach(ProcessHandle::destroyForcibly);
  }
}
