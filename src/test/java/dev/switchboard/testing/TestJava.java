package dev.switchboard.testing;

import java.util.List;

/** Command lines that run a main class of this build in a fresh JVM on the test class path. */
public final class TestJava {
  private TestJava() {}

  public static String java() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }

  public static List<String> command(String mainClass) {
    return List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=warning,cds*=off,aot*=off:stderr",
        "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), mainClass);
  }
}
