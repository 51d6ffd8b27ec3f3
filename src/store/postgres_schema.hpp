#pragma once

#include "store/postgres.hpp"

namespace tlshop::store {

// The version this program's migrations lead to.
int newest_postgres_schema_version();

// Brings the database to the shop's newest schema, one numbered migration at a time,
// each in its own transaction under an advisory lock (servers started together migrate
// once); the table tlshop_schema records how far it got. Throws Error for a database
// newer than this program knows, which it leaves alone. A target below the newest stops
// there, as an earlier tlshop would have.
void migrate(PostgresConnection& connection, int target = newest_postgres_schema_version());

// The version the database has, 0 for none.
int schema_version(PostgresConnection& connection);

}  // namespace tlshop::store
