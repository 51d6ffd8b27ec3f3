#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tlshop/error.hpp"

struct pg_conn;
struct pg_result;

namespace tlshop::store {

// A statement PostgreSQL refused; sqlstate() says why ("23505": a unique key taken,
// "40P01": a deadlock, "40001": a serialization failure).
class PostgresError : public Error {
 public:
  PostgresError(const std::string& message, std::string sqlstate, std::string source_function = "")
      : Error(message),
        sqlstate_(std::move(sqlstate)),
        source_function_(std::move(source_function)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // Worth running the whole transaction again: it lost a race with another one, or
  // met a prepared statement gone stale (on a connection given up since).
  bool is_transient() const {
    return sqlstate_ == "40P01" || sqlstate_ == "40001" || is_stale_statement();
  }
  // A statement prepared on the connection that no longer exists there (a pooler
  // discarded it) or no longer fits the tables (a migration changed its result: a
  // "feature not supported" told from others by the server function that raised it,
  // whatever language the server's messages are in, or by its English message).
  bool is_stale_statement() const {
    return sqlstate_ == "26000" ||
           (sqlstate_ == "0A000" &&
            (source_function_ == "RevalidateCachedQuery" ||
             std::string_view(what()).find("cached plan must not change result type") !=
                 std::string_view::npos));
  }
  // Refused for the data it was given (class 22) or a constraint (class 23): the
  // fault of what it was asked, not of the database.
  bool is_data_fault() const { return sqlstate_.starts_with("22") || sqlstate_.starts_with("23"); }

 private:
  std::string sqlstate_;
  std::string source_function_;
};

// A parameter of a statement: text, a whole number, or NULL.
class PostgresValue {
 public:
  PostgresValue(std::string_view text) : text_(text) {}  // NOLINT: implicit by design
  PostgresValue(const std::string& text) : text_(text) {}
  PostgresValue(const char* text) : text_(text) {}
  PostgresValue(std::int64_t number) : text_(std::to_string(number)) {}
  PostgresValue(int number) : text_(std::to_string(number)) {}
  PostgresValue(std::nullopt_t) {}
  const char* data() const { return text_ ? text_->c_str() : nullptr; }
  bool has_nul() const { return text_ && text_->find('\0') != std::string::npos; }

 private:
  std::optional<std::string> text_;
};

// The rows a statement returned.
class PostgresResult {
 public:
  explicit PostgresResult(pg_result* result) : result_(result) {}
  PostgresResult(PostgresResult&& other) noexcept : result_(other.result_) {
    other.result_ = nullptr;
  }
  PostgresResult& operator=(PostgresResult&&) = delete;
  PostgresResult(const PostgresResult&) = delete;
  ~PostgresResult();

  int rows() const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t changed() const;
  std::string text(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  bool is_null(int row, int column) const;
  pg_result* native() const { return result_; }

 private:
  pg_result* result_;
};

// One connection to PostgreSQL, from a URL or key=value connection string (libpq reads
// a service file and the PG* environment variables for what it leaves out). Statements
// take their parameters separately from the SQL, as $1, $2, ...; never by formatting.
// Each statement is prepared on the connection the first time it runs there, so that
// PostgreSQL parses and plans it once per connection rather than once per run.
class PostgresConnection {
 public:
  // Throws StoreUnavailable if the server cannot be reached.
  explicit PostgresConnection(const std::string& conninfo);
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;
  ~PostgresConnection();

  // Throws PostgresError for a refused statement and StoreUnavailable for a lost
  // connection (after which broken() is true).
  PostgresResult exec(std::string_view sql, std::span<const PostgresValue> parameters);
  PostgresResult exec(std::string_view sql, std::initializer_list<PostgresValue> parameters = {}) {
    return exec(sql, std::span<const PostgresValue>(parameters.begin(), parameters.size()));
  }
  // Several statements without parameters, as a migration has them.
  void exec_script(const std::string& sql);
  bool broken() const;
  // Open and in no transaction.
  bool idle() const;
  // idle(), having read what the server may have sent since: false for a connection a
  // restarted server closed while it sat in the pool.
  bool still_open();

 private:
  PostgresResult checked(PostgresResult result);
  // The name `sql` is prepared under on this connection, preparing it if need be; null
  // once kMaxPrepared statements are, for a statement to run unprepared.
  const char* prepared(const std::string& sql, int parameters);

  // More than tlshop's statements, which are a fixed set (their values never go into
  // their text).
  static constexpr std::size_t kMaxPrepared = 256;

  pg_conn* connection_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
  bool stale_ = false;  // a prepared statement went stale: the connection is given up
};

// BEGIN ... COMMIT on a connection; rolled back if destroyed uncommitted.
class PostgresTransaction {
 public:
  // kSnapshot: read only, every statement seeing the same snapshot (REPEATABLE READ).
  enum Kind { kReadWrite, kSnapshot };
  explicit PostgresTransaction(PostgresConnection& connection, Kind kind = kReadWrite);
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;
  ~PostgresTransaction();
  void commit();

 private:
  PostgresConnection& connection_;
  bool done_ = false;
};

// A PostgreSQL array literal of texts (or whole numbers, written as text), for a $n
// parameter cast to TEXT[] or BIGINT[]: every element quoted and escaped.
std::string postgres_array(const std::vector<std::string>& elements);

// The connection string with any password replaced, for messages and logs.
std::string without_password(const std::string& conninfo);

}  // namespace tlshop::store
