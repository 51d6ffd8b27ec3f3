#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tlshop::server {

// Serialised catalog pages (the JSON bodies of GET /v1/items), kept until the catalog
// changes: browsing is most of a shop's traffic, and a page costs a database query and
// a serialisation, a cached one a copy.
//
// Pages belong to one catalog version (shop::Shop::catalog_version(), which every
// change made through this server moves) and are dropped when it moves. Changes made
// behind the server's back (tlshop admin on the same database) show within max_age.
class CatalogPages {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `now` is the steady clock except in tests, which step time rather than wait for it.
  explicit CatalogPages(std::chrono::milliseconds max_age = std::chrono::milliseconds(1000),
                        std::size_t capacity = 1024, Clock now = std::chrono::steady_clock::now)
      : max_age_(max_age), capacity_(capacity), now_(std::move(now)) {}

  // The page for this query string at this version, if it is held and fresh.
  std::optional<std::string> find(std::string_view query, std::uint64_t version);
  void keep(std::string_view query, std::uint64_t version, std::string body);

 private:
  // Drops everything if the version moved or the pages are too old. Needs mutex_.
  void expire(std::uint64_t version, std::chrono::steady_clock::time_point now);

  std::chrono::milliseconds max_age_;
  std::size_t capacity_;
  Clock now_;
  std::mutex mutex_;
  std::uint64_t version_ = 0;
  std::chrono::steady_clock::time_point first_kept_{};
  std::unordered_map<std::string, std::string> pages_;
};

}  // namespace tlshop::server
