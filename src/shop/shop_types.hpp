#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "shop/money.hpp"

namespace tlshop::shop {

enum class Role { kCustomer, kAdmin };
const char* role_name(Role role);
std::optional<Role> parse_role(const std::string& name);

struct User {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::kCustomer;
  std::string password_hash;  // Argon2id, libsodium's string form
};

struct Item {
  std::string sku;
  std::string name;
  std::string category;
  std::int64_t stock = 0;
  Money unit_price = 0;
};

struct OrderLine {
  std::int64_t id = 0;
  std::int64_t receipt_id = 0;
  std::string sku;
  std::string name;
  std::int64_t quantity = 0;
  Money unit_price = 0;
  Money line_total = 0;
  std::time_t created_at = 0;
};

struct Receipt {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::vector<OrderLine> lines;
  Money total = 0;
  std::time_t opened_at = 0;
  std::optional<std::time_t> closed_at;
};

// A login session: the token itself is never stored, only its hash, and it is valid
// only over the client certificate it was issued over.
struct SessionRecord {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string certificate_fingerprint;
  std::time_t expires_at = 0;
};

// A session as found by its token's hash, with its user.
struct SessionOfUser {
  SessionRecord session;
  User user;
};

struct ItemQuery {
  std::string category;   // "" for all
  std::string text;       // "" for all; matched against name and sku
  std::string after_sku;  // the cursor: items with a greater sku
  std::size_t limit = 50;
};

}  // namespace tlshop::shop
