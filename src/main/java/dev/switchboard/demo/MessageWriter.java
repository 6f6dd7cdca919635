package dev.switchboard.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON-RPC message per line and flushes it. Many tool threads write at once, so each
 * message is written whole under a lock. When the output breaks (the client went away) later
 * messages are dropped: the end of input will follow and end the server.
 */
final class MessageWriter {
  private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);

  private final OutputStream out;
  private final ReentrantLock lock = new ReentrantLock(); // not synchronized: virtual threads must not pin on Java 21
  private boolean broken;

  MessageWriter(OutputStream out) {
    this.out = out;
  }

  void write(ObjectNode message) {
    byte[] bytes = Json.writeBytes(message); // Jackson escapes control characters: never a raw newline inside
    lock.lock();
    try {
      if (broken) {
        return;
      }
      out.write(bytes);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      broken = true;
      log.warn("output closed; dropping this and later messages: {}", e.toString());
    } finally {
      lock.unlock();
    }
  }
}
