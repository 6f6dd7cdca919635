package dev.switchboard.conformance;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServer.SyncSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * An MCP server on the official MCP Java SDK that exposes what the official MCP conformance suite
 * ({@code @modelcontextprotocol/conformance}) tests: the {@code test_*} tools, {@code test://}
 * resources, a resource template, prompts, completion, logging and subscriptions (see
 * {@link FixtureTools} and {@link FixtureCatalog}). It is the suite's reference point for
 * Switchboard: run directly, and behind the hub.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@code --stdio}: the SDK's stdio transport. Nothing but protocol on stdout, logs on stderr;
 *       exits when stdin closes. This is how the hub runs it as a backend.</li>
 *   <li>{@code --http PORT}: Streamable HTTP at {@code http://127.0.0.1:PORT/mcp} (the SDK's servlet
 *       transport in an embedded Tomcat bound to 127.0.0.1, rejecting non-localhost Host and Origin
 *       headers). Prints {@code fixture ready on PORT} to stderr once it accepts connections; stops
 *       on SIGTERM.</li>
 * </ul>
 */
public final class ConformanceFixture {
  /** Held so the level sticks (java.util.logging keeps loggers weakly). */
  private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

  private ConformanceFixture() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--stdio")) {
      stdio();
    } else if (args.length == 2 && args[0].equals("--http")) {
      http(Integer.parseInt(args[1]));
    } else {
      System.err.println("usage: ConformanceFixture --stdio | --http PORT");
      System.exit(2);
    }
  }

  /** The fixture's capabilities and features on any transport. */
  static <S extends SyncSpecification<S>> McpSyncServer build(SyncSpecification<S> spec) {
    return spec.serverInfo("switchboard-conformance-fixture", "1.0.0")
        .capabilities(ServerCapabilities.builder()
            .tools(true)
            .resources(true, true)
            .prompts(true)
            .logging()
            .completions()
            .build())
        .tools(FixtureTools.all())
        .resources(FixtureCatalog.resources())
        .resourceTemplates(FixtureCatalog.templates())
        .prompts(FixtureCatalog.prompts())
        .completions(FixtureCatalog.completions())
        .requestTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static void stdio() throws InterruptedException {
    OutputStream protocol = new FileOutputStream(FileDescriptor.out);
    // Anything else that writes to System.out (a library, a stray println) goes to stderr instead.
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    CountDownLatch endOfInput = new CountDownLatch(1);
    InputStream in = new FilterInputStream(new FileInputStream(FileDescriptor.in)) {
      @Override
      public int read() throws IOException {
        return ended(super.read());
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return ended(super.read(b, off, len));
      }

      private int ended(int n) {
        if (n < 0) {
          endOfInput.countDown();
        }
        return n;
      }
    };
    McpSyncServer server = build(McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, protocol)));
    System.err.println("fixture ready on stdio (pid " + ProcessHandle.current().pid() + ")");
    endOfInput.await();
    server.close();
    System.exit(0);
  }

  private static void http(int port) throws Exception {
    TOMCAT_LOG.setLevel(java.util.logging.Level.WARNING);
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp")
        .httpHeaderValidator(DefaultServerTransportSecurityValidator.builder()
            .allowedHosts(List.of("127.0.0.1:*", "localhost:*", "[::1]:*"))
            .allowedOrigins(List.of("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"))
            .build())
        .build();
    McpSyncServer server = build(McpServer.sync(transport));
    Path base = Files.createTempDirectory("conformance-fixture-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(port);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", base.toString());
    Wrapper wrapper = Tomcat.addServlet(context, "mcp", transport);
    wrapper.setAsyncSupported(true);
    wrapper.setLoadOnStartup(1);
    context.addServletMapping("/*", "mcp");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      try {
        tomcat.stop();
        tomcat.destroy();
      } catch (Exception e) {
        System.err.println("fixture: stopping Tomcat failed: " + e);
      }
      deleteTree(base);
    }, "fixture-shutdown"));
    tomcat.start();
    System.err.println("fixture ready on " + port);
    tomcat.getServer().await();
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("fixture: could not delete " + root + ": " + e);
    }
  }
}
