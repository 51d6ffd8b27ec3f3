#pragma once

#include <string>

#include "shop/store.hpp"
#include "store/group_commit.hpp"
#include "store/postgres_pool.hpp"

namespace tlshop::store {

// The shop's data in PostgreSQL, for several tlshop servers sharing one database. Every
// rule holds across servers because the database enforces it: a purchase locks its
// item's row (SELECT ... FOR UPDATE) before checking the stock, a purchase takes its
// user's advisory lock before looking up and recording its idempotency key (a second
// server's purchase waits for the first to commit and then finds the key), login
// attempts of one certificate are serialised by an advisory lock. Purchases arriving
// together share one transaction (GroupCommit); a transaction
// that loses a race (a deadlock, a serialization failure) is run again. While the
// database is unreachable, calls throw shop::StoreUnavailable.
class PostgresStore : public shop::Store {
 public:
  // conninfo: a postgresql:// URL or a key=value string; connections: at most this many
  // at once. Brings the schema up to date (migrate); throws StoreUnavailable if the
  // database cannot be reached and Error if its schema is newer than this program's.
  PostgresStore(const std::string& conninfo, std::size_t connections);

  std::optional<shop::User> add_user(const std::string& name, shop::Role role,
                                     const std::string& password_hash) override;
  std::optional<shop::User> find_user(const std::string& name) override;
  std::optional<shop::User> find_user(std::int64_t id) override;
  bool set_password_hash(const std::string& name, const std::string& hash) override;

  shop::LoginGate begin_login_attempt(const std::string& name, const std::string& certificate,
                                      std::time_t now, const shop::LoginLimits& limits) override;
  void end_login_attempt(std::int64_t attempt, bool succeeded) override;
  void clear_login_attempts(const std::string& name) override;

  void add_session(const shop::SessionRecord& session, std::time_t now,
                   std::size_t max_per_user) override;
  std::optional<shop::SessionOfUser> find_session(const std::string& token_hash) override;
  void delete_session(const std::string& token_hash) override;

  std::size_t item_count() override;
  std::vector<std::string> categories() override;
  std::vector<shop::Item> items(const shop::ItemQuery& query) override;
  std::optional<shop::Item> item(const std::string& sku) override;
  bool add_item(const shop::Item& item) override;
  bool set_price(const std::string& sku, shop::Money unit_price) override;
  bool restock(const std::string& sku, std::int64_t added) override;

  shop::PurchaseOutcome purchase(const shop::PurchaseRequest& request) override;
  shop::Receipt open_receipt(std::int64_t user_id) override;
  std::optional<shop::Receipt> close_receipt(std::int64_t user_id, std::time_t now) override;
  std::vector<shop::Receipt> closed_receipts(std::int64_t user_id) override;

  shop::MessageOutcome append_message(const std::string& owner, const shop::Message& message,
                                      const shop::MessageQuota& quota) override;
  std::vector<shop::Message> messages(const std::string& owner, std::int64_t after_id,
                                      std::size_t max_count, std::size_t max_bytes) override;
  std::size_t import_messages(const std::vector<std::pair<std::string, shop::Message>>& batch,
                              const shop::MessageQuota& quota) override;
  std::size_t delete_messages_before(const std::string& received_before) override;

  // Purchases waiting for the batch being committed to finish, to form the next.
  std::size_t purchases_waiting() { return purchases_.queued(); }

 private:
  struct PurchaseJob {
    const shop::PurchaseRequest* request;
    shop::PurchaseOutcome outcome;
    std::exception_ptr error;
  };

  template <typename Work>
  auto run(Work&& work);
  // The jobs' purchases in one transaction, in their order; an outcome or an error each.
  void purchase_together(const std::vector<PurchaseJob*>& jobs);

  PostgresPool pool_;
  GroupCommit<PurchaseJob> purchases_;
};

}  // namespace tlshop::store
