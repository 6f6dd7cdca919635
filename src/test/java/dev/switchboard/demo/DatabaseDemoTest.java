package dev.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code database} demo: creation on first run, read-only queries, refused writes. */
class DatabaseDemoTest {
  @TempDir
  Path dir;

  private InProcessServer server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private Path db() {
    return dir.resolve("cache").resolve("demo.db");
  }

  private InProcessServer start() throws Exception {
    server = new InProcessServer(DemoServers.create("database", List.of("--db", db().toString()), Map.of()));
    return server;
  }

  private JsonNode query(String sql) {
    return server.callTool("query", Json.object().put("sql", sql));
  }

  private static String text(JsonNode result) {
    return result.at("/content/0/text").asText();
  }

  @Test
  void firstRunCreatesTheDatabaseWithSampleRows() throws Exception {
    assertThat(db()).doesNotExist();

    JsonNode tables = start().callTool("list_tables", Json.object()).get("structuredContent").get("tables");

    assertThat(db()).isRegularFile();
    assertThat(tables.findValuesAsText("name")).contains("customers", "products", "orders");
    assertThat(tables.get(0).get("name").asText()).isEqualTo("customers");
    assertThat(tables.get(0).get("rowCount").asInt()).isEqualTo(15);
    assertThat(tables.get(1).get("name").asText()).isEqualTo("orders");
    assertThat(tables.get(1).get("rowCount").asInt()).isEqualTo(20);
    assertThat(tables.get(2).get("rowCount").asInt()).isEqualTo(12);
    try (var files = Files.list(db().getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("demo.db");
    }
  }

  @Test
  void queryReturnsColumnsRowsAndATextTable() throws Exception {
    start();

    JsonNode result = query("SELECT id, name, city FROM customers WHERE country = 'GB' ORDER BY id");

    assertThat(result.get("isError").asBoolean()).isFalse();
    assertThat(result.get("structuredContent")).isEqualTo(Json.parse("""
        {"columns":["id","name","city"],
         "rows":[[1,"Ada Lovelace","London"],[2,"Alan Turing","Manchester"],[12,"Sophie Wilson","Leeds"]],
         "rowCount":3,"truncated":false}"""));
    assertThat(text(result)).isEqualTo("""
        id | name | city
        1 | Ada Lovelace | London
        2 | Alan Turing | Manchester
        12 | Sophie Wilson | Leeds
        (3 rows)""");
  }

  @Test
  void queryJoinsAndAggregates() throws Exception {
    start();

    JsonNode result = query("""
        SELECT c.name, sum(o.quantity * p.price_cents) AS spent_cents
        FROM orders o JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = o.product_id
        GROUP BY c.id ORDER BY spent_cents DESC LIMIT 1;""");

    assertThat(result.at("/structuredContent/columns")).isEqualTo(Json.parse("[\"name\",\"spent_cents\"]"));
    assertThat(result.at("/structuredContent/rowCount").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "DELETE FROM customers",
      "DROP TABLE customers",
      "INSERT INTO customers VALUES (99, 'Eve', 'eve@example.com', 'Nowhere', 'XX', '2025-01-01')",
      "UPDATE customers SET name = 'Mallory'",
      "REPLACE INTO products VALUES (1, 'x', 'x', 1, 1)",
      "CREATE TABLE x (id INTEGER)",
      "CREATE TEMP TABLE x (id INTEGER)",
      "ATTACH DATABASE 'ATTACHED' AS other",
      "DETACH DATABASE main",
      "PRAGMA user_version = 7",
      "PRAGMA journal_mode = WAL",
      "VACUUM",
      "VACUUM INTO 'COPY'",
      "REINDEX",
      "ANALYZE",
      "BEGIN IMMEDIATE",
      "/* a comment first */ DELETE FROM customers",
      "WITH doomed AS (SELECT id FROM customers) DELETE FROM customers WHERE id IN (SELECT id FROM doomed)",
      "WITH doomed AS (SELECT 1) INSERT INTO customers SELECT 100, 'Eve', 'e@example.com', 'x', 'x', 'x' FROM doomed",
      "SELECT 1; DELETE FROM customers",
      "SELECT 1;\nDROP TABLE customers;",
      "SELECT ';' AS semicolon; DELETE FROM customers",
  })
  void writeStatementsAreRefusedAndTheDataStays(String sql) throws Exception {
    start();
    byte[] before = sha256(db());
    String concrete = sql.replace("ATTACHED", dir.resolve("other.db").toString()).replace("COPY", dir.resolve("copy.db").toString());

    JsonNode result = query(concrete);

    assertThat(result.get("isError").asBoolean()).as("isError for %s", sql).isTrue();
    assertThat(text(result)).contains("Only read-only queries are allowed (the demo database is read-only)");
    assertThat(query("SELECT count(*) AS n FROM customers").at("/structuredContent/rows/0/0").asInt()).isEqualTo(15);
    assertThat(server.callTool("list_tables", Json.object()).at("/structuredContent/tables").size()).isEqualTo(3);
    assertThat(sha256(db())).isEqualTo(before);
    assertThat(dir.resolve("other.db")).doesNotExist();
    assertThat(dir.resolve("copy.db")).doesNotExist();
  }

  @Test
  void onlyTheDemoDatabaseItselfIsOpen() throws Exception {
    start();

    JsonNode result = query("SELECT name FROM pragma_database_list");

    assertThat(result.at("/structuredContent/rows")).isEqualTo(Json.parse("[[\"main\"]]"));
  }

  @Test
  void aLargeResultIsCutAtTheRowLimitAndSaysSo() throws Exception {
    start();

    JsonNode result = query("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 600) SELECT x FROM n");

    assertThat(result.at("/structuredContent/rowCount").asInt()).isEqualTo(DatabaseTools.MAX_ROWS);
    assertThat(result.at("/structuredContent/truncated").asBoolean()).isTrue();
    assertThat(text(result)).endsWith("(500 rows; truncated: only the first 500 rows are returned, add a LIMIT or a WHERE)");
  }

  @Test
  void aRunawayQueryIsStoppedAtTheTimeLimit() throws Exception {
    DemoDatabase.ensureCreated(db());
    server = new InProcessServer(new McpStdioServer("db", "test", null, new DatabaseTools(db(), Duration.ofMillis(200)).tools()));

    JsonNode result = query("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n");

    assertThat(result.get("isError").asBoolean()).isTrue();
    assertThat(text(result)).isEqualTo("Query stopped: it ran longer than the demo limit of 200 ms");
  }

  @Test
  void anSqlErrorIsAToolErrorWithSqlitesMessage() throws Exception {
    start();

    JsonNode result = query("SELECT * FROM nope");

    assertThat(result.get("isError").asBoolean()).isTrue();
    assertThat(text(result)).startsWith("SQL error: ").contains("no such table: nope");
  }

  @Test
  void missingOrEmptySqlIsAToolError() throws Exception {
    start();

    assertThat(text(server.callTool("query", Json.object())))
        .isEqualTo("Missing required argument: sql (one read-only SQL statement)");
    assertThat(text(query("-- only a comment")))
        .isEqualTo("Missing SQL: pass one read-only statement, e.g. SELECT * FROM customers LIMIT 5");
  }

  @Test
  void manyFirstRunsAtOnceAllSucceedAndAgreeOnOneDatabase() throws Exception {
    int runs = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(runs)) {
      for (int i = 0; i < runs; i++) {
        results.add(pool.submit(() -> {
          go.await();
          DemoDatabase.ensureCreated(db());
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : results) {
        f.get(InProcessServer.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    start();
    assertThat(query("SELECT count(*) FROM orders").at("/structuredContent/rows/0/0").asInt()).isEqualTo(20);
    try (var files = Files.list(db().getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("demo.db");
    }
  }

  @Test
  void theDatabaseFileComesFromDbOptionThenDbUrlThenTheCacheDirectory() {
    Map<String, String> env = Map.of("DB_URL", "jdbc:sqlite:" + dir.resolve("from-url.db"), "XDG_CACHE_HOME", dir.toString());

    assertThat(DemoDatabase.locate(dir.resolve("opt.db").toString(), env)).isEqualTo(dir.resolve("opt.db"));
    assertThat(DemoDatabase.locate(null, env)).isEqualTo(dir.resolve("from-url.db"));
    assertThat(DemoDatabase.locate(null, Map.of("DB_URL", "jdbc:sqlite:file:" + dir.resolve("f.db") + "?mode=ro")))
        .isEqualTo(dir.resolve("f.db"));
    assertThat(DemoDatabase.locate(null, Map.of("XDG_CACHE_HOME", dir.toString())))
        .isEqualTo(dir.resolve("switchboard/demo.db"));
    assertThat(DemoDatabase.locate(null, Map.of("HOME", dir.toString())))
        .isEqualTo(dir.resolve(".cache/switchboard/demo.db"));
  }

  @Test
  void aDbUrlThatIsNotAnSqliteFileIsAUsageError() {
    assertThatThrownBy(() -> DemoDatabase.locate(null, Map.of("DB_URL", "jdbc:postgresql://localhost/demo")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DB_URL must be a jdbc:sqlite: URL naming a file (e.g. jdbc:sqlite:demo.db), got 'jdbc:postgresql://localhost/demo'");
    assertThatThrownBy(() -> DemoDatabase.locate(null, Map.of("DB_URL", "jdbc:sqlite::memory:")))
        .hasMessage("DB_URL must name a database file (the demo opens it read-only), got 'jdbc:sqlite::memory:'");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = DemoServers.run("database", List.of(), Map.of("DB_URL", "mysql://x"),
        new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(DemoServers.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("switchboard demo-server: DB_URL must be a jdbc:sqlite: URL");
  }

  private static byte[] sha256(Path file) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }
}
