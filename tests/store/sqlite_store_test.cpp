#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/sqlite.hpp"
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
