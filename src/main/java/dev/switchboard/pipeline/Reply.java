package dev.switchboard.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

/** The result of a request that went through the pipeline: the JSON-RPC {@code result} to send back. */
public record Reply(JsonNode result) {
  public Reply {
    if (result == null) {
      throw new IllegalArgumentException("a reply needs a result");
    }
  }
}
