package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One tool, prompt, resource or resource template as clients see it.
 *
 * @param key the exposed name (tools, prompts), URI (resources) or URI template (templates)
 * @param server the configured server that owns it
 * @param backendKey the name, URI or template as the backend knows it
 * @param definition the item as listed to clients (its name replaced by the exposed name); never mutate
 */
public record CatalogEntry(String key, String server, String backendKey, ObjectNode definition) {}
