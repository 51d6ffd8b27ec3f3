#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/schema.hpp"
#include "store/sqlite.hpp"
#include "support/earlier_shop.hpp"
#include "support/temp_dir.hpp"
#include "tlshop/error.hpp"

namespace tlshop::store {
namespace {

mode_t mode_of(const std::filesystem::path& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  return status.st_mode & 0777;
}

// docs/security.md: the data directory's files are readable by their owner only.
TEST(SqliteDatabase, TheDatabaseAndItsJournalFilesAreOwnerOnlyWhateverTheUmask) {
  test::TempDir dir;
  mode_t saved = ::umask(022);
  {
    SqliteStore store(dir / "shop.db");
    ASSERT_TRUE(store.add_item({"101", "phone", "Electronics", 1, 100000}));
    for (const char* name : {"shop.db", "shop.db-wal", "shop.db-shm"}) {
      EXPECT_EQ(mode_of(dir / name), 0600u) << name;
    }
  }
  // A database an older version left readable to others is tightened when opened.
  ::chmod((dir / "shop.db").c_str(), 0644);
  ::chmod((dir / "shop.db-wal").c_str(), 0644);
  { SqliteStore again(dir / "shop.db"); }
  ::umask(saved);
  EXPECT_EQ(mode_of(dir / "shop.db"), 0600u);
  if (std::filesystem::exists(dir / "shop.db-wal")) {
    EXPECT_EQ(mode_of(dir / "shop.db-wal"), 0600u);
  }
}

TEST(SqliteSchema, ADatabaseOfEveryEarlierVersionIsUpgradedWithWhatItHolds) {
  std::time_t now = std::time(nullptr);
  for (int version = 1; version < newest_sqlite_schema_version(); ++version) {
    SCOPED_TRACE("from version " + std::to_string(version));
    test::TempDir dir;
    {
      SqliteDatabase db(dir / "shop.db");
      migrate(db, version);
      db.exec(test::earlier_shop_sql(false, now));
    }
    SqliteStore store(dir / "shop.db");
    test::expect_earlier_shop_kept(store, now);
  }
}

TEST(SqliteSchema, RefusesADatabaseFromANewerTlshop) {
  test::TempDir dir;
  {
    SqliteDatabase db(dir / "shop.db");
    db.exec("PRAGMA user_version = 99");
  }
  EXPECT_THROW(SqliteStore(dir / "shop.db"), Error);
}

}  // namespace
}  // namespace tlshop::store
