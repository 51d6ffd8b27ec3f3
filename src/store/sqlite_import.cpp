#include "store/sqlite_import.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "store/postgres_schema.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"

namespace tlshop::store {
namespace {

// The tables in an order that satisfies their references, with their columns; those
// whose ids are identities get them kept (OVERRIDING SYSTEM VALUE) and their sequences
// moved past the copied ids.
struct Table {
  const char* name;
  const char* columns;
  bool identity;
};

constexpr std::array<Table, 9> kTables{{
    {"users", "id, name, role, password_hash", true},
    {"sessions", "token_hash, user_id, certificate_fingerprint, expires_at", false},
    {"login_attempts", "id, name, certificate, at", true},
    {"items", "sku, name, category, stock, unit_price", false},
    {"receipts", "id, user_id, opened_at, closed_at, total", true},
    {"order_lines", "id, receipt_id, sku, name, quantity, unit_price, line_total, created_at",
     true},
    {"idempotency_keys", "user_id, key, request, order_line_id", false},
    {"messages", "id, owner, received_at, content_type, body", true},
    {"message_usage", "owner, count, bytes", false},
}};

std::size_t column_count(const char* columns) {
  return 1 + static_cast<std::size_t>(std::count(columns, columns + std::strlen(columns), ','));
}

std::string placeholders(std::size_t count) {
  std::string text;
  for (std::size_t i = 1; i <= count; ++i) text += (i > 1 ? ", $" : "$") + std::to_string(i);
  return text;
}

// Copies one table row by row; SQLite's values go over as text (or NULL).
std::int64_t copy_table(SqliteDatabase& from, PostgresConnection& to, const Table& table) {
  std::size_t columns = column_count(table.columns);
  std::string insert = std::string("INSERT INTO ") + table.name + " (" + table.columns + ") " +
                       (table.identity ? "OVERRIDING SYSTEM VALUE " : "") + "VALUES (" +
                       placeholders(columns) + ")";
  // In the order the rows were made, which PostgreSQL's identities then follow.
  Statement rows(
      from, std::string("SELECT ") + table.columns + " FROM " + table.name + " ORDER BY rowid");
  std::int64_t copied = 0;
  while (rows.step()) {
    std::vector<PostgresValue> values;
    for (std::size_t i = 0; i < columns; ++i) {
      int column = static_cast<int>(i);
      values.push_back(rows.is_null(column) ? PostgresValue(std::nullopt)
                                            : PostgresValue(rows.text(column)));
    }
    to.exec(insert, values);
    ++copied;
  }
  if (table.identity && copied > 0) {
    to.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table.name +
            "', 'id'), (SELECT MAX(id) FROM " + table.name + "))");
  }
  return copied;
}

}  // namespace

std::map<std::string, std::int64_t> import_sqlite_shop(const std::filesystem::path& sqlite_file,
                                                       PostgresConnection& target) {
  std::error_code ec;
  if (!std::filesystem::exists(sqlite_file, ec)) {
    throw Error("no SQLite shop at " + sqlite_file.string());
  }
  SqliteDatabase source(sqlite_file);
  migrate(source);  // an older tlshop's file gets the newest tables first
  migrate(target);
  PostgresTransaction transaction(target);
  // No server may seed the catalog or take an order while the shop moves in.
  target.exec("LOCK TABLE users, items, receipts, messages IN EXCLUSIVE MODE");
  PostgresResult holds = target.exec(
      "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM items) + "
      "(SELECT COUNT(*) FROM receipts) + (SELECT COUNT(*) FROM messages)");
  if (holds.integer(0, 0) > 0) {
    throw Error(
        "the PostgreSQL shop is not empty: import into a new database (made with 'tlshop "
        "admin --store URL migrate'), before any server has started on it");
  }
  std::map<std::string, std::int64_t> copied;
  for (const Table& table : kTables) copied[table.name] = copy_table(source, target, table);
  // SQLite never reuses a message id (AUTOINCREMENT), even of messages since deleted, so
  // that clients paging with ?since= miss nothing: neither does the sequence here.
  Statement last_message(
      source, "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'messages'");
  last_message.step();
  if (last_message.integer(0) > 0) {
    target.exec(
        "SELECT setval(pg_get_serial_sequence('messages', 'id'), GREATEST($1::BIGINT, (SELECT "
        "last_value FROM messages_id_seq)))",
        {last_message.integer(0)});
  }
  transaction.commit();
  return copied;
}

}  // namespace tlshop::store
