package dev.switchboard.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stored tools/call result. The tree is the cache's own copy and is never mutated: a hit is
 * answered with a shallow copy that carries the hit's {@code _meta}.
 *
 * @param result the result as the backend sent it
 * @param size its size as JSON, in bytes (the weight that bounds the memory store)
 * @param storedAtMillis when it was stored (epoch millis, comparable across instances)
 * @param expiresAtMillis when it stops being served (epoch millis)
 */
public record CachedResult(ObjectNode result, int size, long storedAtMillis, long expiresAtMillis) {}
