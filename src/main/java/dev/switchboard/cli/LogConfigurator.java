package dev.switchboard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback set-up in code (found through ServiceLoader; faster than XML at start-up): one appender
 * to stderr — stdout is the protocol in stdio mode. The level comes from {@code --log-level}, else
 * {@code SWITCHBOARD_LOG_LEVEL}, else INFO.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    // A child of the hub (a built-in demo backend) leaves the time to the hub, which logs its stderr.
    boolean child = Boolean.getBoolean("switchboard.child");
    encoder.setPattern(child ? "%-5level %logger{0} - %msg%n" : "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.setLevel(initialLevel());
    // Helidon's start-up chatter (features, versions) is not for operators.
    context.getLogger("io.helidon").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Level initialLevel() {
    String level = System.getProperty("switchboard.log.level", System.getenv("SWITCHBOARD_LOG_LEVEL"));
    return Level.toLevel(level, Level.INFO);
  }

  /** Applies {@code --log-level}: trace, debug, info, warn, error or off. */
  static void setLevel(String level) {
    if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
