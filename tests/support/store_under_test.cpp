#include "support/store_under_test.hpp"

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace tlshop::test {

std::unique_ptr<StoreUnderTest> StoreUnderTest::make(const std::string& kind,
                                                     std::string& why_not) {
  std::unique_ptr<StoreUnderTest> made(new StoreUnderTest());
  if (kind == "postgresql") {
    made->database_ = PostgresTestDatabase::make(why_not);
    if (!made->database_) return nullptr;
  }
  made->reopen();
  return made;
}

void StoreUnderTest::reopen() {
  store_.reset();
  if (database_) {
    store_ = std::make_unique<store::PostgresStore>(database_->conninfo(), 8);
  } else {
    store_ = std::make_unique<store::SqliteStore>(dir_ / "shop.db");
  }
}

}  // namespace tlshop::test
