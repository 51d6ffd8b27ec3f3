#include "store/open_store.hpp"

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace tlshop::store {

std::string StoreChoice::describe() const {
  return is_postgresql() ? without_password(url) : sqlite_file.string();
}

std::unique_ptr<shop::Store> open_store(const StoreChoice& choice) {
  check_store_url(choice.url);
  if (choice.is_postgresql())
    return std::make_unique<PostgresStore>(choice.url, choice.connections);
  return std::make_unique<SqliteStore>(choice.sqlite_file);
}

}  // namespace tlshop::store
