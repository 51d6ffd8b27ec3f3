#include "store/schema.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "tlshop/error.hpp"

namespace tlshop::store {
namespace {

// Never edit a migration that has shipped: add a new one.
constexpr std::array<const char*, 5> kMigrations{R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('customer', 'admin')),
  password_hash TEXT NOT NULL
);
CREATE TABLE login_failures (
  name TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures (name, at);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  certificate_fingerprint TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE items (
  sku TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  stock INTEGER NOT NULL CHECK (stock >= 0),
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0)
);
CREATE INDEX items_by_category ON items (category, sku);
CREATE TABLE receipts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  opened_at INTEGER NOT NULL,
  closed_at INTEGER
);
CREATE UNIQUE INDEX one_open_receipt_per_user ON receipts (user_id) WHERE closed_at IS NULL;
CREATE TABLE order_lines (
  id INTEGER PRIMARY KEY,
  receipt_id INTEGER NOT NULL REFERENCES receipts (id),
  sku TEXT NOT NULL REFERENCES items (sku),
  name TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit_price INTEGER NOT NULL,
  line_total INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX order_lines_by_receipt ON order_lines (receipt_id);
CREATE TABLE idempotency_keys (
  user_id INTEGER NOT NULL REFERENCES users (id),
  key TEXT NOT NULL,
  request TEXT NOT NULL,
  order_line_id INTEGER NOT NULL REFERENCES order_lines (id),
  PRIMARY KEY (user_id, key)
);
)sql",
                                                 // Each receipt keeps its running total, so
                                                 // a purchase need not add up every line.
                                                 R"sql(
ALTER TABLE receipts ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
UPDATE receipts SET total =
  (SELECT COALESCE(SUM(line_total), 0) FROM order_lines WHERE receipt_id = receipts.id);
)sql",
                                                 // Login attempts are counted per account
                                                 // and client certificate: failures
                                                 // counted by name alone are dropped.
                                                 R"sql(
DROP TABLE login_failures;
CREATE TABLE login_attempts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  certificate TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_attempts_by_account ON login_attempts (name, certificate, at);
CREATE INDEX login_attempts_by_certificate ON login_attempts (certificate, at);
CREATE INDEX login_attempts_by_time ON login_attempts (at);
)sql",
                                                 // Device messages move from a file kept
                                                 // in memory into the store, with quotas.
                                                 R"sql(
CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner TEXT NOT NULL,
  received_at TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX messages_by_owner ON messages (owner, id);
CREATE INDEX messages_by_time ON messages (received_at);
CREATE TABLE message_usage (
  owner TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL
);
)sql",
                                                 // A login ends expired sessions and the
                                                 // user's oldest past its share, found by
                                                 // index; the expired ones, never removed
                                                 // before, go first.
                                                 R"sql(
DELETE FROM sessions WHERE expires_at <= CAST(strftime('%s', 'now') AS INTEGER);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
)sql"};

int user_version(SqliteDatabase& db) {
  Statement statement(db, "PRAGMA user_version");
  statement.step();
  return static_cast<int>(statement.integer(0));
}

}  // namespace

int newest_sqlite_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(SqliteDatabase& db, int target) {
  int version = user_version(db);
  if (version > static_cast<int>(kMigrations.size())) {
    throw Error("the database has schema version " + std::to_string(version) +
                ", newer than this tlshop knows (" + std::to_string(kMigrations.size()) + ")");
  }
  for (int next = version; next < std::min(target, newest_sqlite_schema_version()); ++next) {
    Transaction transaction(db);
    db.exec(kMigrations[static_cast<std::size_t>(next)]);
    db.exec("PRAGMA user_version = " + std::to_string(next + 1));
    transaction.commit();
  }
}

}  // namespace tlshop::store
