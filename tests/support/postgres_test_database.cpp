#include "support/postgres_test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "store/postgres.hpp"

namespace tlshop::test {
namespace {

std::string first_line_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::unique_ptr<PostgresTestDatabase> PostgresTestDatabase::make(std::string& why_not) {
  const char* dir = std::getenv("TLSHOP_TEST_POSTGRES_DIR");
  if (dir == nullptr) {
    why_not = "no PostgreSQL cluster: ctest starts one (TLSHOP_TEST_POSTGRES_DIR)";
    return nullptr;
  }
  std::filesystem::path state(dir);
  if (std::filesystem::exists(state / "unavailable")) {
    why_not = first_line_of(state / "unavailable");
    return nullptr;
  }
  std::string cluster = first_line_of(state / "conninfo");
  if (cluster.empty()) {
    why_not = "the PostgreSQL cluster in " + state.string() + " did not start";
    return nullptr;
  }
  static std::atomic<int> counter{0};
  std::string name = "test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  store::PostgresConnection(cluster).exec("CREATE DATABASE " + name);
  return std::unique_ptr<PostgresTestDatabase>(new PostgresTestDatabase(cluster, name));
}

PostgresTestDatabase::PostgresTestDatabase(std::string cluster, std::string name)
    : cluster_(std::move(cluster)),
      name_(std::move(name)),
      conninfo_(cluster_ + " dbname=" + name_) {}

PostgresTestDatabase::~PostgresTestDatabase() {
  try {
    store::PostgresConnection(cluster_).exec("DROP DATABASE " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster is gone already: it is removed as a whole.
  }
}

}  // namespace tlshop::test
