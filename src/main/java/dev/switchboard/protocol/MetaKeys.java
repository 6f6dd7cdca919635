package dev.switchboard.protocol;

/** The {@code _meta} keys the stateless era (2026-07-28) reserves; one spelling in one place. */
public final class MetaKeys {
  public static final String PREFIX = "io.modelcontextprotocol/";
  public static final String PROTOCOL_VERSION = PREFIX + "protocolVersion";
  public static final String CLIENT_INFO = PREFIX + "clientInfo";
  public static final String CLIENT_CAPABILITIES = PREFIX + "clientCapabilities";
  public static final String LOG_LEVEL = PREFIX + "logLevel";
  public static final String SERVER_INFO = PREFIX + "serverInfo";
  public static final String SUBSCRIPTION_ID = PREFIX + "subscriptionId";

  private MetaKeys() {}
}
