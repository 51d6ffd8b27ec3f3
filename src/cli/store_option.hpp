#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace tlshop::cli {

// --store URL (or TLSHOP_STORE): the shop's data in PostgreSQL, for `tlshop serve` and
// `tlshop admin` alike; unset, the SQLite file in the data directory (or the config's).
void add_store_option(CLI::App& command, std::string& url);

}  // namespace tlshop::cli
