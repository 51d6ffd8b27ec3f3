#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "store/postgres.hpp"

namespace tlshop::store {

// Moves a SQLite shop (a server's DATA_DIR/shop.db) into an empty PostgreSQL shop, in
// one transaction: users with their password hashes, sessions, login attempts, the
// catalog, receipts with their lines and idempotency keys, messages and their usage,
// every id kept. Returns the rows copied per table. Throws Error if the PostgreSQL shop
// already has users, items or receipts. The SQLite file is brought to the newest schema
// first, as a server opening it would, and otherwise only read.
std::map<std::string, std::int64_t> import_sqlite_shop(const std::filesystem::path& sqlite_file,
                                                       PostgresConnection& target);

}  // namespace tlshop::store
