#include "store/postgres.hpp"

#include <libpq-fe.h>

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
  // libpq waits for ever for a server that does not answer unless told otherwise; the
  // connection string's own connect_timeout, if any, comes later and wins.
  const char* keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", conninfo.c_str(), nullptr};
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
  // Whole numbers and text only, in UTC, whatever the server's defaults.
  exec("SET TIME ZONE 'UTC'");
}

PostgresConnection::~PostgresConnection() { PQfinish(connection_); }

bool PostgresConnection::broken() const {
  return connection_ == nullptr || PQstatus(connection_) != CONNECTION_OK;
}

PostgresResult PostgresConnection::exec(std::string_view sql,
                                        std::span<const PostgresValue> parameters) {
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const PostgresValue& parameter : parameters) values.push_back(parameter.data());
  std::string statement(sql);
  return checked(
      PostgresResult(PQexecParams(connection_, statement.c_str(), static_cast<int>(values.size()),
                                  nullptr, values.data(), nullptr, nullptr, 0)));
}

void PostgresConnection::exec_script(const std::string& sql) {
  checked(PostgresResult(PQexec(connection_, sql.c_str())));
}

PostgresResult PostgresConnection::checked(PostgresResult result) {
  auto status = PQresultStatus(result.native());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    ++successes_;
    return result;
  }
  if (broken()) {
    throw shop::StoreUnavailable("the connection to PostgreSQL was lost: " +
                                 first_line(PQerrorMessage(connection_)));
  }
  const char* sqlstate = PQresultErrorField(result.native(), PG_DIAG_SQLSTATE);
  throw PostgresError(
      "PostgreSQL refused a statement: " + first_line(PQresultErrorMessage(result.native())),
      sqlstate != nullptr ? sqlstate : "");
}

PostgresTransaction::PostgresTransaction(PostgresConnection& connection) : connection_(connection) {
  connection_.exec("BEGIN");
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

std::string without_password(const std::string& conninfo) {
  static const std::regex url_password(R"(^(postgres(?:ql)?://[^:/@]*):[^@]*@)");
  static const std::regex keyword_password(R"((^|\s)password\s*=\s*('[^']*'|\S+))");
  static const std::regex query_password(R"(([?&]password=)[^&]*)");
  std::string shown = std::regex_replace(conninfo, url_password, "$1:***@");
  shown = std::regex_replace(shown, query_password, "$1***");
  return std::regex_replace(shown, keyword_password, "$1password=***");
}

}  // namespace tlshop::store
