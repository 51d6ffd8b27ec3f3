#include "api/routes.hpp"

#include <array>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace tlshop::api::routes {
namespace {

bool is_under(std::string_view path, std::string_view prefix) {
  return path.size() > prefix.size() + 1 && path.starts_with(prefix) && path[prefix.size()] == '/';
}

constexpr std::array<std::string_view, 14> kExactRoutes{
    kHello, kMessages, kHealth,  kMetrics,      kSessions, kCurrentSession, kCategories,
    kItems, kOrders,   kReceipt, kReceiptClose, kReceipts, kAdminUsers,     kAdminItems};

}  // namespace

std::string escaped(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

std::string_view label_for(std::string_view path) {
  for (std::string_view route : kExactRoutes) {
    if (path == route) return route;
  }
  if (is_under(path, kItems)) return "/v1/items/{sku}";
  if (is_under(path, kAdminItems)) return "/v1/admin/items/{sku}";
  if (is_under(path, kAdminUsers) && path.ends_with("/password")) {
    return "/v1/admin/users/{name}/password";
  }
  return "other";
}

}  // namespace tlshop::api::routes
