#pragma once

#include <memory>
#include <optional>
#include <string>

namespace tlshop::test {

// An empty database of its own in the tests' PostgreSQL cluster, which ctest starts
// (tests/support/postgres_cluster.py) and names in TLSHOP_TEST_POSTGRES_DIR; dropped,
// with whatever is connected to it, when destroyed.
class PostgresTestDatabase {
 public:
  // The database, or nullopt with the reason in `why_not` (no cluster: PostgreSQL is not
  // installed, or the test runs outside ctest).
  static std::unique_ptr<PostgresTestDatabase> make(std::string& why_not);
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;
  ~PostgresTestDatabase();

  // A libpq connection string for it.
  const std::string& conninfo() const { return conninfo_; }

 private:
  PostgresTestDatabase(std::string cluster, std::string name);
  std::string cluster_;  // the connection string of the cluster's postgres database
  std::string name_;
  std::string conninfo_;
};

}  // namespace tlshop::test
