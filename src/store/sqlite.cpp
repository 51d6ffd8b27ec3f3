#include "store/sqlite.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/files.hpp"
#include "tlshop/error.hpp"

namespace tlshop::store {

namespace {
constexpr int kBusyTimeoutMs = 10'000;

// The database holds password hashes and order history: owner-only, whatever the umask.
// SQLite creates its -wal and -shm files with the database file's mode, so the file is
// made (or tightened) here first; files an older version left readable are tightened too.
void keep_owner_only(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kSecretFileMode);
  if (fd < 0) {
    throw Error("cannot open database " + path.string() + ": " + std::strerror(errno));
  }
  int changed = ::fchmod(fd, kSecretFileMode);
  ::close(fd);
  if (changed != 0) {
    throw Error("cannot make " + path.string() + " owner-only: " + std::strerror(errno));
  }
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::path companion = path.string() + suffix;
    if (::chmod(companion.c_str(), kSecretFileMode) != 0 && errno != ENOENT) {
      throw Error("cannot make " + companion.string() + " owner-only: " + std::strerror(errno));
    }
  }
}

}  // namespace

SqliteDatabase::SqliteDatabase(const std::filesystem::path& path) : path_(path) {
  keep_owner_only(path);
  int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw Error("cannot open database " + path.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("PRAGMA foreign_keys=ON");
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, statement] : idle_statements_) sqlite3_finalize(statement);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* SqliteDatabase::take_prepared(std::string_view sql) {
  auto idle = idle_statements_.find(std::string(sql));
  if (idle != idle_statements_.end()) {
    sqlite3_stmt* statement = idle->second;
    idle_statements_.erase(idle);
    return statement;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &statement, nullptr) != SQLITE_OK) {
    fail("cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
  }
  return statement;
}

void SqliteDatabase::give_back(std::string_view sql, sqlite3_stmt* statement) {
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  if (!idle_statements_.try_emplace(std::string(sql), statement).second) {
    sqlite3_finalize(statement);
  }
}

void SqliteDatabase::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    throw Error("database " + path_.string() + ": " + text);
  }
}

std::int64_t SqliteDatabase::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int SqliteDatabase::changes() const { return sqlite3_changes(db_); }

void SqliteDatabase::fail(const std::string& what) const {
  throw Error("database " + path_.string() + ": " + what + ": " + sqlite3_errmsg(db_));
}

Statement::Statement(SqliteDatabase& db, std::string_view sql)
    : db_(db), sql_(sql), statement_(db.take_prepared(sql)) {}

Statement::~Statement() { db_.give_back(sql_, statement_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) db_.fail("cannot bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  if (sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    db_.fail("cannot bind");
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(statement_, index) != SQLITE_OK) db_.fail("cannot bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail("statement failed");
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

std::string Statement::text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  return text != nullptr
             ? std::string(reinterpret_cast<const char*>(text),
                           static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)))
             : std::string();
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

Transaction::Transaction(SqliteDatabase& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (const std::exception&) {
      // The connection is gone or the transaction already ended; nothing is committed.
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace tlshop::store
