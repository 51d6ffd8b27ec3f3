#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "shop/store.hpp"

namespace tlshop::store {

// Which store a server or `tlshop admin` uses: PostgreSQL for a postgresql:// (or
// postgres://) URL, else the SQLite file.
struct StoreChoice {
  std::string url;  // "" for SQLite
  std::filesystem::path sqlite_file;
  std::size_t connections = 16;  // PostgreSQL: the pool's size

  bool is_postgresql() const { return !url.empty(); }
  // Where the shop is, for messages: the file, or the URL without its password.
  std::string describe() const;
};

// Throws Error for a URL that is not PostgreSQL's (checked with the configuration, before
// anything is opened).
inline void check_store_url(const std::string& url) {
  if (url.empty() || url.starts_with("postgresql://") || url.starts_with("postgres://")) return;
  throw Error("'store' must be a postgresql:// URL, or empty for the SQLite file in data_dir");
}

// Opens the chosen store; throws what the store throws.
std::unique_ptr<shop::Store> open_store(const StoreChoice& choice);

}  // namespace tlshop::store
