#include "server/catalog_pages.hpp"

namespace tlshop::server {

std::optional<std::string> CatalogPages::find(std::string_view query, std::uint64_t version) {
  std::lock_guard lock(mutex_);
  expire(version, now_());
  auto found = pages_.find(std::string(query));
  if (found == pages_.end()) return std::nullopt;
  return found->second;
}

void CatalogPages::keep(std::string_view query, std::uint64_t version, std::string body) {
  std::lock_guard lock(mutex_);
  auto now = now_();
  expire(version, now);
  // A page computed before the catalog moved on must not be kept for the new version.
  if (version != version_) return;
  if (pages_.size() >= capacity_) pages_.clear();
  if (pages_.empty()) first_kept_ = now;
  pages_.insert_or_assign(std::string(query), std::move(body));
}

void CatalogPages::expire(std::uint64_t version, std::chrono::steady_clock::time_point now) {
  if (version > version_) {
    version_ = version;
    pages_.clear();
  } else if (!pages_.empty() && now - first_kept_ >= max_age_) {
    pages_.clear();
  }
}

}  // namespace tlshop::server
