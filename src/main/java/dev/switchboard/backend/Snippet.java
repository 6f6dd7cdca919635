package dev.switchboard.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.nio.charset.StandardCharsets;

/** A short, single-line excerpt of what a backend sent, for logs. */
final class Snippet {
  private static final int MAX = 200;

  private Snippet() {}

  static String of(JsonNode node) {
    return of(Json.write(node));
  }

  static String of(byte[] bytes) {
    return of(new String(bytes, 0, Math.min(bytes.length, MAX * 4), StandardCharsets.UTF_8));
  }

  static String of(String text) {
    String oneLine = text.replaceAll("[\\r\\n\\t]+", " ");
    return oneLine.length() <= MAX ? oneLine : oneLine.substring(0, MAX) + "…(" + text.length() + " chars)";
  }
}
