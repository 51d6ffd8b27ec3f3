#pragma once

#include <memory>
#include <string>
#include <vector>

#include "shop/store.hpp"
#include "support/postgres_test_database.hpp"
#include "support/temp_dir.hpp"

namespace tlshop::test {

// The store a parameterised test runs against, by the name its parameter gives
// (kStoreKinds): a SQLite file in a directory of its own, or a database of its own in
// the tests' PostgreSQL cluster. Whatever it holds goes when it is destroyed.
class StoreUnderTest {
 public:
  // The store, or nullptr with the reason in `why_not` (no PostgreSQL cluster).
  static std::unique_ptr<StoreUnderTest> make(const std::string& kind, std::string& why_not);

  shop::Store& store() { return *store_; }
  // A new store object on the same data, as a restarted server would have.
  void reopen();

 private:
  StoreUnderTest() = default;

  TempDir dir_;
  std::unique_ptr<PostgresTestDatabase> database_;
  std::unique_ptr<shop::Store> store_;
};

// The parameters of a test run against each store, in INSTANTIATE_TEST_SUITE_P.
inline const std::vector<std::string> kStoreKinds{"sqlite", "postgresql"};

}  // namespace tlshop::test
