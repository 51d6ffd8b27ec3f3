#pragma once

#include "store/sqlite.hpp"

namespace tlshop::store {

// The version this program's migrations lead to.
int newest_sqlite_schema_version();

// Brings a database to the newest schema, one numbered migration at a time, each in its
// own transaction; PRAGMA user_version records how far it got. Refuses a database
// newer than this program knows. A target below the newest stops there, as an earlier
// tlshop would have.
void migrate(SqliteDatabase& db, int target = newest_sqlite_schema_version());

}  // namespace tlshop::store
