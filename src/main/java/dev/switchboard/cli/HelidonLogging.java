package dev.switchboard.cli;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is configured already (Logback, through SLF4J's System.Logger bridge),
 * so it neither configures its own nor prints that it has none.
 */
public final class HelidonLogging implements LoggingProvider {
  @Override
  public void initialization() {
    // LogConfigurator set Logback up before Helidon starts
  }

  @Override
  public void runTime() {
    // nothing to change at run time
  }
}
