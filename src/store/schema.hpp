#pragma once

#include "store/sqlite.hpp"

namespace tlshop::store {

// Brings a database to the newest schema, one numbered migration at a time, each in its
// own transaction; PRAGMA user_version records how far it got. Refuses a database
// newer than this program knows.
void migrate(SqliteDatabase& db);

}  // namespace tlshop::store
