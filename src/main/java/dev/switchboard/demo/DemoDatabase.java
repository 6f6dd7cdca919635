package dev.switchboard.demo;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * The SQLite file behind the {@code database} demo: where it lives, how it is created with sample
 * rows on first use, and how it is opened for reading only.
 *
 * <p>Creation is safe when several processes start at once: each builds the database in its own
 * temporary file next to the target and moves it into place atomically, so a reader only ever
 * sees a complete database (all of them are identical).
 */
final class DemoDatabase {
  private static final Logger log = LoggerFactory.getLogger(DemoDatabase.class);

  private static final String JDBC_PREFIX = "jdbc:sqlite:";
  /** The longest string or blob a query may produce (SQLITE_LIMIT_LENGTH). */
  static final int MAX_VALUE_BYTES = 1024 * 1024;

  private DemoDatabase() {}

  /**
   * The database file: {@code --db PATH}, else {@code DB_URL} (a {@code jdbc:sqlite:} URL naming a
   * file), else {@code $XDG_CACHE_HOME/switchboard/demo.db}, else {@code ~/.cache/switchboard/demo.db}.
   *
   * @throws IllegalArgumentException for a DB_URL that is not a {@code jdbc:sqlite:} file URL
   */
  static Path locate(String dbOption, Map<String, String> env) {
    if (dbOption != null) {
      return Path.of(dbOption).toAbsolutePath();
    }
    String url = env.get("DB_URL");
    if (url != null && !url.isBlank()) {
      return fileOf(url);
    }
    String cache = env.get("XDG_CACHE_HOME");
    Path cacheDir = cache != null && !cache.isBlank()
        ? Path.of(cache)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
    return cacheDir.resolve("switchboard").resolve("demo.db").toAbsolutePath();
  }

  static Path fileOf(String url) {
    if (!url.startsWith(JDBC_PREFIX)) {
      throw new IllegalArgumentException("DB_URL must be a jdbc:sqlite: URL naming a file (e.g. jdbc:sqlite:demo.db), got '" + url + "'");
    }
    String rest = url.substring(JDBC_PREFIX.length());
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    if (rest.isBlank() || rest.startsWith(":memory:") || rest.startsWith(":resource:")) {
      throw new IllegalArgumentException("DB_URL must name a database file (the demo opens it read-only), got '" + url + "'");
    }
    return Path.of(rest).toAbsolutePath();
  }

  /** Creates the database with its sample rows unless the file exists. */
  static void ensureCreated(Path file) throws IOException, SQLException {
    if (Files.exists(file)) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp");
    try {
      try (Connection conn = DriverManager.getConnection(JDBC_PREFIX + temp)) {
        conn.setAutoCommit(false);
        DemoData.populate(conn);
        conn.commit();
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        log.info("created the demo database at {}", file);
      } catch (FileAlreadyExistsException e) {
        log.debug("another process created {} first", file);
      } catch (AtomicMoveNotSupportedException e) {
        try {
          Files.move(temp, file);
        } catch (FileAlreadyExistsException raced) {
          log.debug("another process created {} first", file);
        }
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Opens the file read-only, with {@code query_only} on, ATTACH disabled and values capped at
   * {@link #MAX_VALUE_BYTES}; extension loading stays off (the driver's default).
   */
  static Connection openReadOnly(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    Connection conn = config.createConnection(JDBC_PREFIX + file);
    try {
      SQLiteConnection sqlite = conn.unwrap(SQLiteConnection.class);
      sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
      sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES);
      try (Statement st = conn.createStatement()) {
        st.execute("PRAGMA query_only = ON");
      }
      return conn;
    } catch (SQLException | RuntimeException e) {
      conn.close();
      throw e;
    }
  }
}
