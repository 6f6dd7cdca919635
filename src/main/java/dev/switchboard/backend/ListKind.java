package dev.switchboard.backend;

import dev.switchboard.protocol.Methods;

/** The four lists an MCP server can offer, with their method, result field and capability. */
public enum ListKind {
  TOOLS(Methods.TOOLS_LIST, "tools", "tools", Methods.TOOLS_LIST_CHANGED),
  PROMPTS(Methods.PROMPTS_LIST, "prompts", "prompts", Methods.PROMPTS_LIST_CHANGED),
  RESOURCES(Methods.RESOURCES_LIST, "resources", "resources", Methods.RESOURCES_LIST_CHANGED),
  RESOURCE_TEMPLATES(Methods.RESOURCE_TEMPLATES_LIST, "resourceTemplates", "resources", Methods.RESOURCES_LIST_CHANGED);

  public final String method;
  public final String field;
  public final String capability;
  public final String changedNotification;

  ListKind(String method, String field, String capability, String changedNotification) {
    this.method = method;
    this.field = field;
    this.capability = capability;
    this.changedNotification = changedNotification;
  }
}
