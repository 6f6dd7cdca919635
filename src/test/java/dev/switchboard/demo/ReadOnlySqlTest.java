package dev.switchboard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The lexical check in front of the demo database. */
class ReadOnlySqlTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
      "SELECT 1                                   | SELECT 1",
      "  select 1 ;  -- done                      | select 1",
      "SELECT ';' AS x;                           | SELECT ';' AS x",
      "SELECT \"a;b\" FROM t                      | SELECT \"a;b\" FROM t",
      "SELECT [odd;name] FROM t                   | SELECT [odd;name] FROM t",
      "SELECT 'it''s; fine'                       | SELECT 'it''s; fine'",
      "/* lead; */ WITH x AS (SELECT 1) SELECT * FROM x | /* lead; */ WITH x AS (SELECT 1) SELECT * FROM x",
      "VALUES (1), (2)                            | VALUES (1), (2)",
      "EXPLAIN QUERY PLAN SELECT 1                | EXPLAIN QUERY PLAN SELECT 1",
      "SELECT 1; /* trailing; comment */          | SELECT 1",
  })
  void acceptsOneReadingStatement(String sql, String statement) {
    assertThat(ReadOnlySql.check(sql)).isEqualTo(statement);
  }

  @ParameterizedTest
  @ValueSource(strings = {"SELECT 1; SELECT 2", "SELECT 1;;", "SELECT 'a'; DROP TABLE t", "SELECT 1 -- c\n; x"})
  void refusesMoreThanOneStatement(String sql) {
    assertThatThrownBy(() -> ReadOnlySql.check(sql))
        .isInstanceOf(ToolFailure.class)
        .hasMessage("Only one SQL statement per query is allowed; remove everything after the first ';'. "
            + "Only read-only queries are allowed (the demo database is read-only)");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "delete from t      | DELETE",
      "-- x\\nPRAGMA foo=1 | PRAGMA",
      "(SELECT 1)         | (",
  })
  void refusesStatementsThatDoNotStartWithAReadingKeyword(String sql, String first) {
    assertThatThrownBy(() -> ReadOnlySql.check(sql.replace("\\n", "\n")))
        .isInstanceOf(ToolFailure.class)
        .hasMessage("Only read-only queries are allowed (the demo database is read-only); got a statement starting with "
            + first + ". Use SELECT, WITH, VALUES or EXPLAIN.");
  }
}
