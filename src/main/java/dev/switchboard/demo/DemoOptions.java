package dev.switchboard.demo;

import java.util.List;

/**
 * The command-line options of a demo server: {@code --root DIR} (files), {@code --db PATH}
 * (database) and {@code --page-size N} (tools per {@code tools/list} page; 0, the default, is one
 * page). Both {@code --name VALUE} and {@code --name=VALUE} are accepted.
 *
 * @param root the sandbox root, or null
 * @param db the database file, or null
 * @param pageSize tools per page, 0 for one page
 */
record DemoOptions(String root, String db, int pageSize) {

  /** @throws IllegalArgumentException naming an unknown option, a missing value or a bad number */
  static DemoOptions parse(List<String> args) {
    String root = null;
    String db = null;
    int pageSize = 0;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!List.of("--root", "--db", "--page-size").contains(name)) {
        throw new IllegalArgumentException("unknown option '" + arg + "'; expected --root DIR, --db PATH or --page-size N");
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("option " + name + " needs a value");
        }
        value = args.get(++i);
      }
      switch (name) {
        case "--root" -> root = value;
        case "--db" -> db = value;
        default -> pageSize = pageSize(value);
      }
    }
    return new DemoOptions(root, db, pageSize);
  }

  private static int pageSize(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--page-size must be a whole number, 0 or more, got '" + value + "'");
  }
}
