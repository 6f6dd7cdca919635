package dev.switchboard.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** The sample rows of the demo database: a made-up shop. Every e-mail is at example.com. */
final class DemoData {
  private DemoData() {}

  static void populate(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute("""
          CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE,
            city TEXT NOT NULL,
            country TEXT NOT NULL,
            joined_on TEXT NOT NULL
          )""");
      st.execute("""
          CREATE TABLE products (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            category TEXT NOT NULL,
            price_cents INTEGER NOT NULL,
            in_stock INTEGER NOT NULL
          )""");
      st.execute("""
          CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            product_id INTEGER NOT NULL REFERENCES products(id),
            quantity INTEGER NOT NULL,
            ordered_at TEXT NOT NULL,
            status TEXT NOT NULL
          )""");
    }
    insertAll(conn, "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)", new Object[][] {
        {1, "Ada Lovelace", "ada.lovelace@example.com", "London", "GB", "2024-01-15"},
        {2, "Alan Turing", "alan.turing@example.com", "Manchester", "GB", "2024-02-03"},
        {3, "Grace Hopper", "grace.hopper@example.com", "New York", "US", "2024-02-20"},
        {4, "Katherine Johnson", "katherine.johnson@example.com", "Hampton", "US", "2024-03-11"},
        {5, "Marie Curie", "marie.curie@example.com", "Paris", "FR", "2024-03-28"},
        {6, "Emmy Noether", "emmy.noether@example.com", "Göttingen", "DE", "2024-04-09"},
        {7, "Hedy Lamarr", "hedy.lamarr@example.com", "Vienna", "AT", "2024-05-02"},
        {8, "Edsger Dijkstra", "edsger.dijkstra@example.com", "Rotterdam", "NL", "2024-05-17"},
        {9, "Barbara Liskov", "barbara.liskov@example.com", "Boston", "US", "2024-06-06"},
        {10, "Tim Berners-Lee", "tim.berners-lee@example.com", "Geneva", "CH", "2024-06-30"},
        {11, "Margaret Hamilton", "margaret.hamilton@example.com", "Cambridge", "US", "2024-07-21"},
        {12, "Sophie Wilson", "sophie.wilson@example.com", "Leeds", "GB", "2024-08-14"},
        {13, "Linus Torvalds", "linus.torvalds@example.com", "Helsinki", "FI", "2024-09-01"},
        {14, "Frances Allen", "frances.allen@example.com", "Peru", "US", "2024-10-12"},
        {15, "Donald Knuth", "donald.knuth@example.com", "Stanford", "US", "2024-11-05"},
    });
    insertAll(conn, "INSERT INTO products VALUES (?, ?, ?, ?, ?)", new Object[][] {
        {1, "Mechanical keyboard", "peripherals", 8900, 1},
        {2, "Wireless mouse", "peripherals", 2900, 1},
        {3, "27-inch monitor", "displays", 24900, 1},
        {4, "USB-C hub", "accessories", 3900, 1},
        {5, "Laptop stand", "accessories", 4500, 0},
        {6, "Noise-cancelling headphones", "audio", 19900, 1},
        {7, "Webcam 1080p", "video", 5900, 1},
        {8, "Desk lamp", "office", 3500, 1},
        {9, "Ergonomic chair", "office", 32900, 0},
        {10, "External SSD 1 TB", "storage", 10900, 1},
        {11, "Rubber duck (debugging)", "office", 500, 1},
        {12, "Cable organiser", "accessories", 1200, 1},
    });
    insertAll(conn, "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)", new Object[][] {
        {1, 1, 1, 1, "2025-01-04T10:15:00Z", "delivered"},
        {2, 3, 6, 1, "2025-01-09T14:02:00Z", "delivered"},
        {3, 2, 11, 3, "2025-01-12T09:40:00Z", "delivered"},
        {4, 5, 3, 2, "2025-01-20T16:25:00Z", "delivered"},
        {5, 4, 10, 1, "2025-02-02T11:11:00Z", "delivered"},
        {6, 7, 7, 1, "2025-02-14T08:30:00Z", "delivered"},
        {7, 6, 2, 1, "2025-02-18T19:05:00Z", "returned"},
        {8, 9, 4, 2, "2025-03-01T12:00:00Z", "delivered"},
        {9, 8, 9, 1, "2025-03-07T15:45:00Z", "delivered"},
        {10, 10, 8, 1, "2025-03-15T10:20:00Z", "shipped"},
        {11, 11, 5, 1, "2025-03-22T13:33:00Z", "shipped"},
        {12, 12, 12, 4, "2025-04-01T09:00:00Z", "shipped"},
        {13, 13, 1, 1, "2025-04-03T17:50:00Z", "processing"},
        {14, 14, 6, 1, "2025-04-05T07:15:00Z", "processing"},
        {15, 15, 11, 10, "2025-04-06T20:10:00Z", "processing"},
        {16, 1, 3, 1, "2025-04-08T11:45:00Z", "processing"},
        {17, 3, 10, 2, "2025-04-09T14:30:00Z", "cancelled"},
        {18, 5, 2, 1, "2025-04-10T16:00:00Z", "pending"},
        {19, 2, 4, 1, "2025-04-11T09:25:00Z", "pending"},
        {20, 9, 7, 1, "2025-04-12T10:05:00Z", "pending"},
    });
  }

  private static void insertAll(Connection conn, String sql, Object[][] rows) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
