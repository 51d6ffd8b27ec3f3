#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace tlshop::store {

// One SQLite connection with tlshop's settings: WAL, synchronous=FULL (a commit is on
// disk when it returns), foreign keys enforced, and a busy timeout so that a second
// process (`tlshop admin` beside the server) waits instead of failing.
class SqliteDatabase {
 public:
  explicit SqliteDatabase(const std::filesystem::path& path);
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;
  ~SqliteDatabase();

  void exec(const std::string& sql);
  sqlite3* get() const { return db_; }
  std::int64_t last_insert_id() const;
  int changes() const;
  [[noreturn]] void fail(const std::string& what) const;

  // Prepared statements are kept by their SQL and reused: preparing costs more than
  // running most of tlshop's. take_prepared() hands out an idle one or prepares it;
  // give_back() resets it and keeps it (or finalises it if one is kept already).
  sqlite3_stmt* take_prepared(std::string_view sql);
  void give_back(std::string_view sql, sqlite3_stmt* statement);

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  std::unordered_map<std::string, sqlite3_stmt*> idle_statements_;
};

// A prepared statement; bind() with 1-based indexes, step() until it returns false.
class Statement {
 public:
  Statement(SqliteDatabase& db, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);
  bool step();
  void run() { step(); }

  std::int64_t integer(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  SqliteDatabase& db_;
  std::string sql_;
  sqlite3_stmt* statement_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolled back if destroyed uncommitted.
class Transaction {
 public:
  explicit Transaction(SqliteDatabase& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  SqliteDatabase& db_;
  bool done_ = false;
};

}  // namespace tlshop::store
