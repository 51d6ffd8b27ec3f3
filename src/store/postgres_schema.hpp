#pragma once

#include "store/postgres.hpp"

namespace tlshop::store {

// Brings the database to the shop's newest schema, one numbered migration at a time,
// each in its own transaction under an advisory lock (servers started together migrate
// once); the table tlshop_schema records how far it got. Throws Error for a database
// newer than this program knows, which it leaves alone.
void migrate(PostgresConnection& connection);

// The version the database has, 0 for none.
int schema_version(PostgresConnection& connection);

}  // namespace tlshop::store
