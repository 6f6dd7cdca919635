package dev.switchboard.cache;

/** The cache store did not answer within {@code cache.store_timeout}, or is known to be down. */
public final class StoreUnavailableException extends Exception {
  StoreUnavailableException(String message) {
    super(message, null, false, false);
  }
}
