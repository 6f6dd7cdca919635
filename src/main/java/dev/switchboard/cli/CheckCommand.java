package dev.switchboard.cli;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard check}: validates a config and prints every problem; exit 1 on any. */
final class CheckCommand implements Callable<Integer> {
  private final Main main;

  CheckCommand(Main main) {
    this.main = main;
  }

  @Override
  public Integer call() {
    Path file = main.config != null ? main.config : ConfigSource.DEFAULT_FILE;
    if (main.config == null && !Files.exists(file)) {
      SwitchboardConfig demo = ConfigLoader.builtInDemo(System.getenv());
      System.out.println("No ./switchboard.yaml and no --config: the built-in demo config is valid ("
          + demo.servers().size() + " servers: " + String.join(", ", demo.servers().keySet()) + ")");
      return 0;
    }
    List<String> problems = ConfigLoader.check(file, System.getenv());
    if (problems.isEmpty()) {
      System.out.println(file + ": OK");
      return 0;
    }
    problems.forEach(System.out::println);
    long errors = problems.stream().filter(p -> !p.contains(": warning: ")).count();
    if (errors == 0) {
      return 0;
    }
    System.out.println(errors + (errors == 1 ? " problem" : " problems") + " in " + file);
    return 1;
  }
}
