#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "shop/shop_types.hpp"
#include "tlshop/error.hpp"

namespace tlshop::shop {

// The store cannot be reached now (its database server is down, restarting, or every
// connection to it is broken). The request was not carried out, unless the connection
// broke while it committed; it may be made again shortly (a purchase with the same
// idempotency key, which applies it once). The server answers it with 503 and
// Retry-After.
class StoreUnavailable : public Error {
 public:
  explicit StoreUnavailable(const std::string& message,
                            std::chrono::seconds retry_after = std::chrono::seconds(1))
      : Error(message), retry_after_(retry_after) {}
  // When trying again has a chance.
  std::chrono::seconds retry_after() const { return retry_after_; }

 private:
  std::chrono::seconds retry_after_;
};

// What a purchase asks of the store. The shop has validated it; the store makes it
// atomic: the stock check, the decrement, the order line and the idempotency record
// happen in one transaction, and are durable when purchase() returns.
struct PurchaseRequest {
  std::int64_t user_id = 0;
  std::string sku;
  std::int64_t quantity = 0;
  std::string idempotency_key;  // "" for none
  std::time_t now = 0;

  // What an idempotency key is recorded with: a retry must ask for the same.
  std::string fingerprint() const { return sku + "\n" + std::to_string(quantity); }
};

struct PurchaseOutcome {
  enum class Status { kBought, kReplayed, kUnknownItem, kInsufficientStock, kKeyReused, kOverflow };
  Status status = Status::kBought;
  OrderLine line;              // kBought, kReplayed
  std::int64_t available = 0;  // kInsufficientStock
};

// How many login attempts count against a client before it must wait: per account over
// one client certificate, and per certificate over every account, within a window.
struct LoginLimits {
  int per_account_and_certificate = 5;
  int per_certificate = 20;
  std::int64_t window_seconds = 15 * 60;

  bool operator==(const LoginLimits&) const = default;
};

// The store's answer to a login attempt: admitted (settle it with end_login_attempt),
// or refused until retry_at because the client is at a limit.
struct LoginGate {
  std::optional<std::int64_t> attempt;
  std::time_t retry_at = 0;
  int earlier_failures = 0;  // of this account over this certificate, in the window
};

// Device messages, each owned by the client certificate's public key that sent it.
struct Message {
  std::int64_t id = 0;
  std::string received_at;  // ISO 8601, UTC
  std::string content_type;
  std::string body;
};

// How much one owner, and everyone together, may keep.
struct MessageQuota {
  std::int64_t max_count = 10000;                   // per owner
  std::int64_t max_bytes = std::int64_t{64} << 20;  // per owner, bodies
  std::int64_t max_total_bytes = std::int64_t{1} << 30;
};

struct MessageOutcome {
  enum class Status { kStored, kTooMany, kTooLarge, kStoreFull };
  Status status = Status::kStored;
  Message message;  // kStored: with its id
};

// Persistence behind the shop. Implementations: store/SqliteStore, store/PostgresStore. Every
// method is safe to call from several threads; every write is durable when it returns.
class Store {
 public:
  virtual ~Store() = default;

  // Users. add_user returns nullopt if the name is taken.
  virtual std::optional<User> add_user(const std::string& name, Role role,
                                       const std::string& password_hash) = 0;
  virtual std::optional<User> find_user(const std::string& name) = 0;
  virtual std::optional<User> find_user(std::int64_t id) = 0;
  virtual bool set_password_hash(const std::string& name, const std::string& hash) = 0;

  // Login attempts, counted per account and client certificate and per certificate, to
  // slow and stop guessing without letting one client lock an account for others.
  // Counts an attempt before the password is checked, so that attempts made at once
  // cannot together exceed a limit: an attempt counts as a failure until it succeeds.
  virtual LoginGate begin_login_attempt(const std::string& name, const std::string& certificate,
                                        std::time_t now, const LoginLimits& limits) = 0;
  // A success forgets every failure of that account over that certificate.
  virtual void end_login_attempt(std::int64_t attempt, bool succeeded) = 0;
  virtual void clear_login_attempts(const std::string& name) = 0;

  // Sessions, found by the hash of their token (with their user, in one lookup, as
  // every authenticated request needs both). Adding one first ends some of the sessions
  // that have expired by `now` (each login a bounded number) and, if its user already
  // has max_per_user (at least 1), those of that user's that expire first, so that a
  // user never holds more than max_per_user however often it logs in.
  virtual void add_session(const SessionRecord& session, std::time_t now,
                           std::size_t max_per_user) = 0;
  virtual std::optional<SessionOfUser> find_session(const std::string& token_hash) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;

  // The catalog.
  virtual std::size_t item_count() = 0;
  virtual std::vector<std::string> categories() = 0;
  virtual std::vector<Item> items(const ItemQuery& query) = 0;
  virtual std::optional<Item> item(const std::string& sku) = 0;
  // add_item returns false if the sku exists; the others false if it does not.
  virtual bool add_item(const Item& item) = 0;
  virtual bool set_price(const std::string& sku, Money unit_price) = 0;
  virtual bool restock(const std::string& sku, std::int64_t added) = 0;

  // Orders and receipts.
  virtual PurchaseOutcome purchase(const PurchaseRequest& request) = 0;
  // The user's open receipt (empty if none is open).
  virtual Receipt open_receipt(std::int64_t user_id) = 0;
  // Closes the open receipt and returns it; nullopt if there is none with lines.
  virtual std::optional<Receipt> close_receipt(std::int64_t user_id, std::time_t now) = 0;
  virtual std::vector<Receipt> closed_receipts(std::int64_t user_id) = 0;

  // Messages. append_message stores `message` (its id is given) if the quota allows.
  virtual MessageOutcome append_message(const std::string& owner, const Message& message,
                                        const MessageQuota& quota) = 0;
  // The owner's messages with an id above after_id, oldest first: at most max_count,
  // and no more bodies than max_bytes (but always one, if there is one).
  virtual std::vector<Message> messages(const std::string& owner, std::int64_t after_id,
                                        std::size_t max_count, std::size_t max_bytes) = 0;
  // Stores messages of an older tlshop in one transaction, each within the quota as
  // append_message would; returns how many were stored.
  virtual std::size_t import_messages(const std::vector<std::pair<std::string, Message>>& batch,
                                      const MessageQuota& quota) = 0;
  // Deletes the messages received before `received_before` (ISO 8601); returns how many.
  virtual std::size_t delete_messages_before(const std::string& received_before) = 0;
};

}  // namespace tlshop::shop
