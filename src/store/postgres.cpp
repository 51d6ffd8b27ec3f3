#include "store/postgres.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <regex>
#include <vector>

#include "shop/store.hpp"

namespace tlshop::store {
namespace {

std::string first_line(const char* message) {
  std::string text = message != nullptr ? message : "";
  if (auto end = text.find('\n'); end != std::string::npos) text.resize(end);
  return text;
}

}  // namespace

PostgresResult::~PostgresResult() { PQclear(result_); }

int PostgresResult::rows() const { return PQntuples(result_); }

std::int64_t PostgresResult::changed() const {
  const char* count = PQcmdTuples(result_);
  return count != nullptr && *count != '\0' ? std::stoll(count) : 0;
}

std::string PostgresResult::text(int row, int column) const {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::int64_t PostgresResult::integer(int row, int column) const {
  return std::stoll(PQgetvalue(result_, row, column));
}

bool PostgresResult::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) == 1;
}

PostgresConnection::PostgresConnection(const std::string& conninfo) {
  // Bounds on how long a server waits, unless the connection string says otherwise (its
  // settings come later and win): for a connection, for a network gone silent (TCP
  // keepalives), for a statement, a row lock and a transaction left open. Times in UTC.
  // READ COMMITTED, whatever the database's default: a purchase's statements, each with
  // a snapshot of its own, see what the holder of a lock it waited for committed.
  const char* keywords[] = {"connect_timeout",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "options",
                            "dbname",
                            nullptr};
  const char* values[] = {"5",
                          "10",
                          "5",
                          "3",
                          "-c statement_timeout=30s -c lock_timeout=10s "
                          "-c idle_in_transaction_session_timeout=60s -c TimeZone=UTC "
                          "-c default_transaction_isolation=read\\ committed",
                          conninfo.c_str(),
                          nullptr};
  connection_ = PQconnectdbParams(keywords, values, 1);
  if (connection_ == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    std::string reason = connection_ != nullptr ? first_line(PQerrorMessage(connection_))
                                                : std::string("out of memory");
    PQfinish(connection_);
    connection_ = nullptr;
    throw shop::StoreUnavailable("cannot connect to PostgreSQL at " + without_password(conninfo) +
                                 ": " + reason);
  }
  // PostgreSQL's notices ("relation already exists, skipping") are not for tlshop's users.
  PQsetNoticeProcessor(
      connection_, [](void*, const char*) {}, nullptr);
}

PostgresConnection::~PostgresConnection() { PQfinish(connection_); }

bool PostgresConnection::broken() const {
  return stale_ || connection_ == nullptr || PQstatus(connection_) != CONNECTION_OK;
}

bool PostgresConnection::idle() const {
  return !broken() && PQtransactionStatus(connection_) == PQTRANS_IDLE;
}

bool PostgresConnection::still_open() {
  // Reads, without waiting, whatever the server sent while the connection was idle: the
  // goodbye of a server that restarted, then the end of the stream, which marks it broken.
  // An idle connection that tlshop does not LISTEN on gets nothing else.
  for (int round = 0; round < 4 && idle(); ++round) {
    pollfd socket{PQsocket(connection_), POLLIN, 0};
    if (::poll(&socket, 1, 0) <= 0) return true;
    if (PQconsumeInput(connection_) == 0) return false;
  }
  return false;
}

PostgresResult PostgresConnection::exec(std::string_view sql,
                                        std::span<const PostgresValue> parameters) {
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const PostgresValue& parameter : parameters) {
    // Text goes without its length: PostgreSQL's text holds no NUL, and libpq would cut
    // the value there.
    if (parameter.has_nul()) {
      throw PostgresError("PostgreSQL text cannot hold a NUL character", "22021");
    }
    values.push_back(parameter.data());
  }
  std::string statement(sql);
  auto count = static_cast<int>(values.size());
  if (const char* name = prepared(statement, count)) {
    return checked(PostgresResult(
        PQexecPrepared(connection_, name, count, values.data(), nullptr, nullptr, 0)));
  }
  return checked(PostgresResult(PQexecParams(connection_, statement.c_str(), count, nullptr,
                                             values.data(), nullptr, nullptr, 0)));
}

const char* PostgresConnection::prepared(const std::string& sql, int parameters) {
  if (auto found = prepared_.find(sql); found != prepared_.end()) return found->second.c_str();
  if (prepared_.size() >= kMaxPrepared) return nullptr;
  std::string name = "tlshop_" + std::to_string(prepared_.size());
  checked(PostgresResult(PQprepare(connection_, name.c_str(), sql.c_str(), parameters, nullptr)));
  return prepared_.emplace(sql, std::move(name)).first->second.c_str();
}

void PostgresConnection::exec_script(const std::string& sql) {
  checked(PostgresResult(PQexec(connection_, sql.c_str())));
}

PostgresResult PostgresConnection::checked(PostgresResult result) {
  auto status = PQresultStatus(result.native());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  if (PQstatus(connection_) != CONNECTION_OK) {
    throw shop::StoreUnavailable("the connection to PostgreSQL was lost: " +
                                 first_line(PQerrorMessage(connection_)));
  }
  const char* sqlstate = PQresultErrorField(result.native(), PG_DIAG_SQLSTATE);
  std::string state = sqlstate != nullptr ? sqlstate : "";
  // statement_timeout or lock_timeout: the statement was cancelled and its transaction
  // will roll back, so nothing of it is kept.
  if (state == "57014" || state == "55P03") {
    throw shop::StoreUnavailable("PostgreSQL did not complete a statement in time: " +
                                 first_line(PQresultErrorMessage(result.native())));
  }
  const char* function = PQresultErrorField(result.native(), PG_DIAG_SOURCE_FUNCTION);
  PostgresError refused(
      "PostgreSQL refused a statement: " + first_line(PQresultErrorMessage(result.native())), state,
      function != nullptr ? function : "");
  // Every connection prepared its statements alike: this one is given up, and the
  // pool gives up the idle ones with it.
  if (refused.is_stale_statement()) stale_ = true;
  throw refused;
}

PostgresTransaction::PostgresTransaction(PostgresConnection& connection, Kind kind)
    : connection_(connection) {
  connection_.exec(kind == kSnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
}

PostgresTransaction::~PostgresTransaction() {
  if (done_ || connection_.broken()) return;
  try {
    connection_.exec("ROLLBACK");
  } catch (const std::exception&) {
    // The connection is gone or unusable: the server rolls the transaction back.
  }
}

void PostgresTransaction::commit() {
  connection_.exec("COMMIT");
  done_ = true;
}

std::string postgres_array(const std::vector<std::string>& elements) {
  std::string literal = "{";
  for (const std::string& element : elements) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : element) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

std::string without_password(const std::string& conninfo) {
  static const std::regex url_password(R"(^(postgres(?:ql)?://[^:/@]*):[^@]*@)");
  // A quoted value may hold escaped quotes and backslashes, as libpq reads them.
  static const std::regex keyword_password(R"((^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S+))");
  static const std::regex query_password(R"(([?&]password=)[^&]*)");
  std::string shown = std::regex_replace(conninfo, url_password, "$1:***@");
  shown = std::regex_replace(shown, query_password, "$1***");
  return std::regex_replace(shown, keyword_password, "$1password=***");
}

}  // namespace tlshop::store
