#pragma once

#include <filesystem>
#include <mutex>

#include "shop/store.hpp"
#include "store/group_commit.hpp"
#include "store/sqlite.hpp"

namespace tlshop::store {

// The shop's data in one SQLite file (DATA_DIR/shop.db). Calls are serialised on one
// connection; each write is committed with synchronous=FULL, so it is on disk when the
// call returns. Purchases made at the same time share a commit (GroupCommit).
class SqliteStore : public shop::Store {
 public:
  explicit SqliteStore(const std::filesystem::path& database_file);

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
  shop::MessageOutcome append_message(const std::string& owner, const shop::Message& message,
                                      const shop::MessageQuota& quota) override;
  std::vector<shop::Message> messages(const std::string& owner, std::int64_t after_id,
                                      std::size_t max_count, std::size_t max_bytes) override;
  std::size_t import_messages(const std::vector<std::pair<std::string, shop::Message>>& batch,
                              const shop::MessageQuota& quota) override;
  std::size_t delete_messages_before(const std::string& received_before) override;
  shop::Receipt open_receipt(std::int64_t user_id) override;
  std::optional<shop::Receipt> close_receipt(std::int64_t user_id, std::time_t now) override;
  std::vector<shop::Receipt> closed_receipts(std::int64_t user_id) override;

 private:
  std::optional<shop::User> user_where(const char* condition, auto value);
  std::optional<shop::Item> item_locked(const std::string& sku);
  shop::OrderLine order_line(std::int64_t id);
  std::int64_t open_receipt_id(std::int64_t user_id, std::time_t now);
  shop::Receipt load_receipt(std::int64_t receipt_id);
  shop::PurchaseOutcome purchase_locked(const shop::PurchaseRequest& request);

  struct PurchaseJob {
    const shop::PurchaseRequest* request;
    shop::PurchaseOutcome outcome;
    std::exception_ptr error;
  };

  std::mutex mutex_;
  SqliteDatabase db_;
  GroupCommit<PurchaseJob> purchases_;

  // Within a transaction, holding mutex_.
  shop::MessageOutcome append_message_locked(const std::string& owner, const shop::Message& message,
                                             const shop::MessageQuota& quota);
};

}  // namespace tlshop::store
