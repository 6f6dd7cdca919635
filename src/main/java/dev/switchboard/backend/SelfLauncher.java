package dev.switchboard.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code [switchboard, ARGS…]} in a server's command into a command that runs this very hub
 * build (same java, same class path), so the built-in demo backends need no install and no PATH.
 * Children get small-footprint JVM flags: they are short request handlers, not the hub.
 */
public final class SelfLauncher {
  public static final String SELF = "switchboard";
  private static final String MAIN = "dev.switchboard.cli.Main";

  private SelfLauncher() {}

  public static List<String> resolve(List<String> command) {
    if (command.isEmpty() || !SELF.equals(command.get(0))) {
      return command;
    }
    List<String> resolved = new ArrayList<>();
    resolved.add(javaBinary());
    resolved.add("-XX:TieredStopAtLevel=1");
    resolved.add("-XX:+UseSerialGC");
    resolved.add("-Xss512k");
    resolved.add("-XX:-UsePerfData");
    resolved.add("--enable-native-access=ALL-UNNAMED"); // sqlite-jdbc in the database demo
    resolved.add("-Dswitchboard.child=true");
    // JVM warnings go to stderr: the child's stdout is its protocol.
    resolved.add("-Xlog:disable");
    resolved.add("-Xlog:all=warning,cds*=off,aot*=off:stderr");
    String archive = System.getProperty("switchboard.childCds");
    if (archive != null && !archive.isBlank()) {
      resolved.add("-XX:SharedArchiveFile=" + archive);
    }
    resolved.add("-cp");
    resolved.add(System.getProperty("java.class.path"));
    resolved.add(MAIN);
    resolved.addAll(command.subList(1, command.size()));
    return resolved;
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(System.getProperty("java.home") + "/bin/java");
  }
}
