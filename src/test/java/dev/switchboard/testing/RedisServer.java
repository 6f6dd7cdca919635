package dev.switchboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A {@code redis-server} of a test's own, on a free loopback port, as a child process: stopped
 * and started again on the same port to play an outage, and ended on close. For tests that must
 * not disturb the shared Redis at 127.0.0.1:6379.
 */
public final class RedisServer implements AutoCloseable {
  /** The shared Redis the test environment runs. */
  public static final String SHARED = "redis://127.0.0.1:6379";

  private final int port;
  private final Path dir;
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts a fresh Redis (no persistence) and waits until it answers PING. */
  public static RedisServer start(Path dir) throws IOException {
    RedisServer server = new RedisServer(NpmTools.freePort(), Files.createDirectories(dir));
    server.startAgain();
    return server;
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts it (again) on its port. */
  public synchronized void startAgain() throws IOException {
    process = EndAtExit.register(new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start());
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("redis-server exited: " + Files.readString(dir.resolve("redis-" + port + ".log")));
      }
      return answersPing(port);
    });
  }

  /** Kills it (an outage, not a clean shutdown) and waits for the process to end. */
  public synchronized void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Sends one command in the inline protocol and returns the first reply line ({@code +OK}, {@code :3}…). */
  public static String command(int port, String... words) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
      for (String word : words) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        request.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  public String command(String... words) throws IOException {
    return command(port, words);
  }

  private static boolean answersPing(int port) {
    try {
      return "+PONG".equals(command(port, "PING"));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() throws InterruptedException {
    stop();
  }
}
