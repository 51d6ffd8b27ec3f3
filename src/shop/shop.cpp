#include "shop/shop.hpp"

#include <algorithm>
#include <cctype>

#include "shop/seed_catalog.hpp"
#include "shop/shop_error.hpp"
#include "shop/tokens.hpp"

namespace tlshop::shop {
namespace {

using Kind = ShopError::Kind;

constexpr std::size_t kMaxPageSize = 100;
constexpr std::size_t kMaxIdempotencyKey = 128;

[[noreturn]] void unauthenticated(const std::string& message) {
  throw ShopError(Kind::kUnauthenticated, "unauthenticated", message);
}

// Compares a password with a fixed hash of the shop's cost, so that an unknown name
// costs as much time as a wrong password, and does not stand out.
void spend_like_a_verification(const std::string& password, HashCost cost) {
  constexpr const char* kDecoy = "decoy password for unknown names";
  if (cost == HashCost::kMinimal) {
    static const std::string minimal = hash_password(kDecoy, HashCost::kMinimal);
    verify_password(password, minimal);
    return;
  }
  static const std::string interactive = hash_password(kDecoy, HashCost::kInteractive);
  verify_password(password, interactive);
}

}  // namespace

bool is_valid_user_name(const std::string& name) {
  return !name.empty() && name.size() <= 32 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '@' || c == '-';
         });
}

User Shop::add_user(const std::string& name, Role role, const std::string& password) {
  if (!is_valid_user_name(name)) {
    throw ShopError(Kind::kInvalid, "invalid_name",
                    "a user name is 1 to 32 letters, digits or . _ @ -");
  }
  check_password_policy(password);
  auto user = store_.add_user(name, role, hash_password(password, settings_.hash_cost));
  if (!user) throw ShopError(Kind::kConflict, "name_taken", "the user " + name + " already exists");
  return *user;
}

void Shop::reset_password(const std::string& name, const std::string& password) {
  check_password_policy(password);
  if (!store_.set_password_hash(name, hash_password(password, settings_.hash_cost))) {
    throw ShopError(Kind::kNotFound, "unknown_user", "no user " + name);
  }
  store_.clear_login_attempts(name);
}

Shop::Login Shop::login(const std::string& name, const std::string& password,
                        const std::string& certificate_fingerprint, std::time_t now) {
  LoginGate gate =
      store_.begin_login_attempt(name, certificate_fingerprint, now, settings_.login_limits);
  if (!gate.attempt) {
    throw ShopError(
        Kind::kTooManyAttempts, "locked_out",
        "too many failed logins for " + name + " from this client certificate; try again later",
        std::chrono::seconds(std::max<std::time_t>(1, gate.retry_at - now)));
  }
  std::optional<User> user = store_.find_user(name);
  bool ok = user ? verify_password(password, user->password_hash)
                 : (spend_like_a_verification(password, settings_.hash_cost), false);
  store_.end_login_attempt(*gate.attempt, ok);
  if (!ok) {
    auto hold_back =
        std::min(settings_.max_failure_delay,
                 std::chrono::seconds(std::int64_t{1} << std::min(gate.earlier_failures, 16)));
    throw ShopError(Kind::kUnauthenticated, "unauthenticated", "wrong user name or password",
                    std::chrono::seconds(0), hold_back);
  }
  Login login{new_token(), now + settings_.session_lifetime.count(), *user};
  store_.add_session({token_hash(login.token), user->id, certificate_fingerprint, login.expires_at},
                     now, settings_.max_sessions_per_user);
  return login;
}

User Shop::authenticate(const std::string& token, const std::string& certificate_fingerprint,
                        std::time_t now) {
  if (token.empty() || token.size() > 256) unauthenticated("log in first");
  std::optional<SessionOfUser> found = store_.find_session(token_hash(token));
  if (!found || found->session.expires_at <= now)
    unauthenticated("the session is unknown or expired; log in again");
  if (found->session.certificate_fingerprint != certificate_fingerprint) {
    unauthenticated("the session belongs to another client certificate");
  }
  return found->user;
}

void Shop::logout(const std::string& token) { store_.delete_session(token_hash(token)); }

void Shop::seed_if_empty(const std::vector<Item>& seed) {
  if (store_.item_count() != 0) return;
  for (const Item& item : seed) store_.add_item(item);
  catalog_changed();
}

std::vector<std::string> Shop::categories() { return store_.categories(); }

std::vector<Item> Shop::items(ItemQuery query) {
  if (query.limit == 0 || query.limit > kMaxPageSize) {
    throw ShopError(Kind::kInvalid, "invalid_parameter", "limit must be from 1 to 100");
  }
  return store_.items(query);
}

Item Shop::item(const std::string& sku) {
  std::optional<Item> item = store_.item(sku);
  if (!item) throw ShopError(Kind::kNotFound, "unknown_item", "no item with sku " + sku);
  return *item;
}

void Shop::require_admin(const User& user) const {
  if (user.role != Role::kAdmin) {
    throw ShopError(Kind::kForbidden, "forbidden", "only an administrator may do this");
  }
}

void Shop::add_item(const User& by, const Item& item) {
  require_admin(by);
  check_item(item);
  if (!store_.add_item(item)) {
    throw ShopError(Kind::kConflict, "sku_taken", "an item with sku " + item.sku + " exists");
  }
  catalog_changed();
}

void Shop::set_price(const User& by, const std::string& sku, Money unit_price) {
  require_admin(by);
  check_item({sku, "x", "x", 0, unit_price});
  if (!store_.set_price(sku, unit_price)) {
    throw ShopError(Kind::kNotFound, "unknown_item", "no item with sku " + sku);
  }
  catalog_changed();
}

void Shop::restock(const User& by, const std::string& sku, std::int64_t added) {
  require_admin(by);
  if (added <= 0 || added > 1'000'000'000) {
    throw ShopError(Kind::kInvalid, "invalid_quantity", "restock by 1 to 10^9 units");
  }
  if (!store_.restock(sku, added)) {
    throw ShopError(Kind::kNotFound, "unknown_item", "no item with sku " + sku);
  }
  catalog_changed();
}

OrderLine Shop::buy(const User& user, const std::string& sku, std::int64_t quantity,
                    const std::string& idempotency_key, std::time_t now) {
  if (quantity < 1 || quantity > settings_.max_quantity) {
    throw ShopError(
        Kind::kInvalid, "invalid_quantity",
        "quantity must be a whole number from 1 to " + std::to_string(settings_.max_quantity));
  }
  if (idempotency_key.size() > kMaxIdempotencyKey) {
    throw ShopError(Kind::kInvalid, "invalid_idempotency_key",
                    "the idempotency key must be at most 128 characters");
  }
  PurchaseOutcome outcome = store_.purchase({user.id, sku, quantity, idempotency_key, now});
  if (outcome.status == PurchaseOutcome::Status::kBought) catalog_changed();
  switch (outcome.status) {
    case PurchaseOutcome::Status::kBought:
    case PurchaseOutcome::Status::kReplayed:
      return outcome.line;
    case PurchaseOutcome::Status::kUnknownItem:
      throw ShopError(Kind::kNotFound, "unknown_item", "no item with sku " + sku);
    case PurchaseOutcome::Status::kInsufficientStock:
      throw ShopError(Kind::kConflict, "insufficient_stock",
                      "only " + std::to_string(outcome.available) + " of " + sku + " in stock");
    case PurchaseOutcome::Status::kKeyReused:
      throw ShopError(Kind::kConflict, "idempotency_key_reused",
                      "this idempotency key was used for a different purchase");
    case PurchaseOutcome::Status::kOverflow:
      break;
  }
  throw ShopError(Kind::kInvalid, "amount_too_large", "the total would be too large");
}

Receipt Shop::receipt(const User& user) { return store_.open_receipt(user.id); }

Receipt Shop::close_receipt(const User& user, std::time_t now) {
  std::optional<Receipt> closed = store_.close_receipt(user.id, now);
  if (!closed) throw ShopError(Kind::kConflict, "empty_receipt", "the receipt has nothing on it");
  return *closed;
}

std::vector<Receipt> Shop::receipts(const User& user) { return store_.closed_receipts(user.id); }

}  // namespace tlshop::shop
