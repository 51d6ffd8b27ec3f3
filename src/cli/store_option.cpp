#include "cli/store_option.hpp"

namespace tlshop::cli {

void add_store_option(CLI::App& command, std::string& url) {
  command
      .add_option("--store", url,
                  "the shop's data in PostgreSQL: postgresql://USER@HOST/DATABASE, shared by "
                  "every server given it (default: SQLite in the data directory)")
      ->envname("TLSHOP_STORE");
}

}  // namespace tlshop::cli
