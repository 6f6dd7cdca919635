package dev.switchboard.pipeline;

/**
 * Where a request goes: a server and the name (or URI) that server knows the target by.
 *
 * @param viaDefault true when no server owns the name and it went to the {@code default: true} server
 */
public record Route(String server, String backendKey, boolean viaDefault) {}
