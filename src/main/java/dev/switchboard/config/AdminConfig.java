package dev.switchboard.config;

/** The admin API's credential ({@code admin:}): one of tokenSha256 and token, or null when absent. */
public record AdminConfig(String tokenSha256, String token) {
  @Override
  public String toString() {
    return "AdminConfig[token set]";
  }
}
