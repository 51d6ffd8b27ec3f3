#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "shop/passwords.hpp"
#include "shop/shop_types.hpp"
#include "shop/store.hpp"

namespace tlshop::shop {

struct ShopSettings {
  std::string currency = "INR";
  std::chrono::seconds session_lifetime = std::chrono::hours(8);
  // Sessions one user holds at once; a login past it ends that user's oldest.
  std::size_t max_sessions_per_user = 32;
  // Failed logins allowed per account over one client certificate, and per certificate
  // over every account, in the window; the answer to each failure comes later than
  // the last (1 s, 2 s, 4 s, ... at most max_failure_delay).
  LoginLimits login_limits;
  std::chrono::seconds max_failure_delay = std::chrono::seconds(16);
  std::int64_t max_quantity = 1000;  // per order line
  HashCost hash_cost = HashCost::kInteractive;
};

// The shop's rules over a Store: accounts and sessions, the catalog, purchases and
// receipts. Knows nothing of sockets, TLS or SQL. Every refusal is a ShopError.
class Shop {
 public:
  Shop(Store& store, ShopSettings settings) : store_(store), settings_(std::move(settings)) {}

  const ShopSettings& settings() const { return settings_; }
  // Moves on every change to the catalog (items, prices, stock) made through this Shop.
  std::uint64_t catalog_version() const { return catalog_version_.load(); }

  // Accounts.
  User add_user(const std::string& name, Role role, const std::string& password);
  void reset_password(const std::string& name, const std::string& password);

  struct Login {
    std::string token;
    std::time_t expires_at = 0;
    User user;
  };
  // A session bound to the client certificate (its fingerprint) it is created over.
  Login login(const std::string& name, const std::string& password,
              const std::string& certificate_fingerprint, std::time_t now);
  // The user a token belongs to, if it is valid, unexpired and presented over the same
  // certificate it was issued over.
  User authenticate(const std::string& token, const std::string& certificate_fingerprint,
                    std::time_t now);
  void logout(const std::string& token);

  // The catalog. An empty store starts from the seed items.
  void seed_if_empty(const std::vector<Item>& seed);
  std::vector<std::string> categories();
  std::vector<Item> items(ItemQuery query);
  Item item(const std::string& sku);
  void add_item(const User& by, const Item& item);
  void set_price(const User& by, const std::string& sku, Money unit_price);
  void restock(const User& by, const std::string& sku, std::int64_t added);

  // Purchases and receipts.
  OrderLine buy(const User& user, const std::string& sku, std::int64_t quantity,
                const std::string& idempotency_key, std::time_t now);
  Receipt receipt(const User& user);
  Receipt close_receipt(const User& user, std::time_t now);
  std::vector<Receipt> receipts(const User& user);

 private:
  void require_admin(const User& user) const;

  void catalog_changed() { catalog_version_.fetch_add(1); }

  Store& store_;
  ShopSettings settings_;
  std::atomic<std::uint64_t> catalog_version_{1};
};

// User names: 1 to 32 of [A-Za-z0-9._@-].
bool is_valid_user_name(const std::string& name);

}  // namespace tlshop::shop
