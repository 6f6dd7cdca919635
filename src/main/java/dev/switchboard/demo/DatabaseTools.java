package dev.switchboard.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The tools of the {@code database} demo server: {@code query} (one read-only statement) and
 * {@code list_tables}. Every call opens its own read-only connection, so calls may run at once.
 * A query stops when the client cancels it or when it runs past the time limit.
 */
final class DatabaseTools {
  static final int MAX_ROWS = 500;
  static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);
  /** How many SQLite virtual-machine steps between two looks at the clock and the cancel flag. */
  private static final int STEPS_PER_CHECK = 10_000;

  private final Path file;
  private final Duration timeLimit;

  DatabaseTools(Path file, Duration timeLimit) {
    this.file = file;
    this.timeLimit = timeLimit;
  }

  List<DemoTool> tools() {
    return List.of(query(), listTables());
  }

  private DemoTool query() {
    ObjectNode input = Json.object().put("type", "object");
    input.putObject("properties").putObject("sql")
        .put("type", "string")
        .put("description", "One read-only SQLite statement (SELECT, WITH, VALUES or EXPLAIN)");
    input.putArray("required").add("sql");
    input.put("additionalProperties", false);

    ObjectNode output = Json.object().put("type", "object");
    ObjectNode props = output.putObject("properties");
    props.putObject("columns").put("type", "array").putObject("items").put("type", "string");
    props.putObject("rows").put("type", "array").putObject("items").put("type", "array");
    props.putObject("rowCount").put("type", "integer");
    props.putObject("truncated").put("type", "boolean");
    output.putArray("required").add("columns").add("rows").add("rowCount").add("truncated");

    return new DemoTool("query", "Query the demo database",
        "Runs one read-only SQL statement on the demo SQLite database (tables customers, products, orders) and "
            + "returns at most " + MAX_ROWS + " rows. Writes are refused.",
        input, output,
        DemoTool.annotations("Query the demo database", true, false, true, false),
        (args, ctx) -> runQuery(ToolArguments.requiredString(args, "sql", "one read-only SQL statement"), ctx));
  }

  private DemoTool listTables() {
    ObjectNode input = Json.object().put("type", "object");
    input.putObject("properties");
    input.put("additionalProperties", false);
    return new DemoTool("list_tables", "List tables",
        "Lists the tables of the demo database with their columns and row counts.",
        input,
        DemoTool.annotations("List tables", true, false, true, false),
        (args, ctx) -> describeTables(ctx));
  }

  private ObjectNode runQuery(String sql, ToolContext ctx) {
    String statement = ReadOnlySql.check(sql);
    try (Connection conn = open(ctx);
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(statement)) {
      ResultSetMetaData meta = rs.getMetaData();
      int width = meta.getColumnCount();
      List<String> columns = new ArrayList<>();
      for (int c = 1; c <= width; c++) {
        columns.add(meta.getColumnLabel(c));
      }
      List<List<Object>> rows = new ArrayList<>();
      boolean truncated = false;
      while (rs.next()) {
        if (rows.size() == MAX_ROWS) {
          truncated = true;
          break;
        }
        List<Object> row = new ArrayList<>(width);
        for (int c = 1; c <= width; c++) {
          row.add(rs.getObject(c));
        }
        rows.add(row);
      }
      return queryResult(columns, rows, truncated);
    } catch (SQLException e) {
      throw failure(e, ctx);
    }
  }

  private ObjectNode describeTables(ToolContext ctx) {
    try (Connection conn = open(ctx)) {
      List<String> names = new ArrayList<>();
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery(
              "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      ObjectNode structured = Json.object();
      ArrayNode tables = structured.putArray("tables");
      StringBuilder text = new StringBuilder();
      for (String name : names) {
        ObjectNode table = tables.addObject().put("name", name);
        ArrayNode cols = table.putArray("columns");
        List<String> described = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT name, type FROM pragma_table_info(?) ORDER BY cid")) {
          ps.setString(1, name);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              cols.addObject().put("name", rs.getString(1)).put("type", rs.getString(2));
              described.add(rs.getString(1) + " " + rs.getString(2));
            }
          }
        }
        long count;
        try (Statement st = conn.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + name.replace("\"", "\"\"") + "\"")) {
          count = rs.next() ? rs.getLong(1) : 0;
        }
        table.put("rowCount", count);
        text.append(name).append(" (").append(count).append(count == 1 ? " row" : " rows").append("): ")
            .append(String.join(", ", described)).append('\n');
      }
      if (names.isEmpty()) {
        text.append("The database has no tables.");
      }
      return ToolResults.structured(text.toString().strip(), structured);
    } catch (SQLException e) {
      throw failure(e, ctx);
    }
  }

  /** A read-only connection that gives up when the call is cancelled or runs past the time limit. */
  private Connection open(ToolContext ctx) throws SQLException {
    Connection conn = DemoDatabase.openReadOnly(file);
    long deadline = System.nanoTime() + timeLimit.toNanos();
    try {
      ProgressHandler.setHandler(conn, STEPS_PER_CHECK, new ProgressHandler() {
        @Override
        protected int progress() {
          return ctx.isCancelled() || System.nanoTime() - deadline > 0 ? 1 : 0; // non-zero interrupts the query
        }
      });
    } catch (SQLException e) {
      conn.close();
      throw e;
    }
    return conn;
  }

  private ToolFailure failure(SQLException e, ToolContext ctx) {
    SQLiteErrorCode code = e instanceof SQLiteException se ? se.getResultCode() : null;
    if (code != null && code.name().startsWith("SQLITE_READONLY")) {
      return new ToolFailure(ReadOnlySql.READ_ONLY_MESSAGE);
    }
    if (code == SQLiteErrorCode.SQLITE_INTERRUPT) {
      return new ToolFailure(ctx.isCancelled()
          ? "Query cancelled"
          : "Query stopped: it ran longer than the demo limit of " + timeLimit.toMillis() + " ms");
    }
    if (code == SQLiteErrorCode.SQLITE_TOOBIG) {
      return new ToolFailure("Query stopped: a value is larger than the demo limit of " + DemoDatabase.MAX_VALUE_BYTES + " bytes");
    }
    return new ToolFailure("SQL error: " + e.getMessage());
  }

  private static ObjectNode queryResult(List<String> columns, List<List<Object>> rows, boolean truncated) {
    ObjectNode structured = Json.object();
    ArrayNode cols = structured.putArray("columns");
    columns.forEach(cols::add);
    ArrayNode jsonRows = structured.putArray("rows");
    StringBuilder text = new StringBuilder(String.join(" | ", columns));
    for (List<Object> row : rows) {
      ArrayNode jsonRow = jsonRows.addArray();
      List<String> cells = new ArrayList<>(row.size());
      for (Object value : row) {
        addValue(jsonRow, value);
        cells.add(value == null ? "NULL" : value instanceof byte[] b ? "<blob " + b.length + " bytes>" : value.toString());
      }
      text.append('\n').append(String.join(" | ", cells));
    }
    structured.put("rowCount", rows.size());
    structured.put("truncated", truncated);
    text.append("\n(").append(rows.size()).append(rows.size() == 1 ? " row" : " rows");
    if (truncated) {
      text.append("; truncated: only the first ").append(MAX_ROWS).append(" rows are returned, add a LIMIT or a WHERE");
    }
    text.append(')');
    return ToolResults.structured(text.toString(), structured);
  }

  private static void addValue(ArrayNode row, Object value) {
    switch (value) {
      case null -> row.addNull();
      case Integer i -> row.add(i);
      case Long l -> row.add(l);
      case Double d when Double.isFinite(d) -> row.add(d);
      case Number n -> row.add(n.toString()); // Infinity and NaN are not JSON numbers
      case byte[] b -> row.add(Base64.getEncoder().encodeToString(b));
      default -> row.add(value.toString());
    }
  }
}
