#include "shop/shop_types.hpp"

namespace tlshop::shop {

const char* role_name(Role role) { return role == Role::kAdmin ? "admin" : "customer"; }

std::optional<Role> parse_role(const std::string& name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "customer") return Role::kCustomer;
  return std::nullopt;
}

}  // namespace tlshop::shop
