#include "store/sqlite_store.hpp"

#include <limits>

#include "store/like_pattern.hpp"
#include "store/schema.hpp"

namespace tlshop::store {
namespace {

using Lock = std::lock_guard<std::mutex>;

shop::User read_user(const Statement& row) {
  return {row.integer(0), row.text(1),
          shop::parse_role(row.text(2)).value_or(shop::Role::kCustomer), row.text(3)};
}

shop::Item read_item(const Statement& row) {
  return {row.text(0), row.text(1), row.text(2), row.integer(3), row.integer(4)};
}

constexpr const char* kItemColumns = "SELECT sku, name, category, stock, unit_price FROM items ";
constexpr const char* kLineColumns =
    "SELECT id, receipt_id, sku, name, quantity, unit_price, line_total, created_at FROM "
    "order_lines ";

shop::OrderLine read_line(const Statement& row) {
  return {row.integer(0), row.integer(1), row.text(2),    row.text(3),
          row.integer(4), row.integer(5), row.integer(6), row.integer(7)};
}

}  // namespace

SqliteStore::SqliteStore(const std::filesystem::path& database_file) : db_(database_file) {
  migrate(db_);
}

std::optional<shop::User> SqliteStore::user_where(const char* condition, auto value) {
  Statement statement(
      db_, std::string("SELECT id, name, role, password_hash FROM users WHERE ") + condition);
  statement.bind(1, value);
  if (!statement.step()) return std::nullopt;
  return read_user(statement);
}

std::optional<shop::User> SqliteStore::add_user(const std::string& name, shop::Role role,
                                                const std::string& password_hash) {
  Lock lock(mutex_);
  Statement insert(db_, "INSERT OR IGNORE INTO users (name, role, password_hash) VALUES (?, ?, ?)");
  insert.bind(1, name).bind(2, shop::role_name(role)).bind(3, password_hash).run();
  if (db_.changes() == 0) return std::nullopt;
  return shop::User{db_.last_insert_id(), name, role, password_hash};
}

std::optional<shop::User> SqliteStore::find_user(const std::string& name) {
  Lock lock(mutex_);
  return user_where("name = ?", std::string_view(name));
}

std::optional<shop::User> SqliteStore::find_user(std::int64_t id) {
  Lock lock(mutex_);
  return user_where("id = ?", id);
}

bool SqliteStore::set_password_hash(const std::string& name, const std::string& hash) {
  Lock lock(mutex_);
  Statement update(db_, "UPDATE users SET password_hash = ? WHERE name = ?");
  update.bind(1, hash).bind(2, name).run();
  if (db_.changes() == 0) return false;
  // A new password ends every session of the old one.
  Statement sessions(db_,
                     "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)");
  sessions.bind(1, name).run();
  return true;
}

shop::LoginGate SqliteStore::begin_login_attempt(const std::string& name,
                                                 const std::string& certificate, std::time_t now,
                                                 const shop::LoginLimits& limits) {
  Lock lock(mutex_);
  Transaction transaction(db_);
  // What has aged out of the window counts no more: the table holds at most a window's
  // attempts, and each certificate at most per_certificate of them.
  Statement(db_, "DELETE FROM login_attempts WHERE at <= ?")
      .bind(1, now - limits.window_seconds)
      .run();
  shop::LoginGate gate;
  // At a limit, the client may try again once the oldest attempt that keeps it there
  // leaves the window.
  Statement account(db_,
                    "SELECT at FROM login_attempts WHERE name = ? AND certificate = ? "
                    "ORDER BY at DESC LIMIT 1 OFFSET ?");
  account.bind(1, name).bind(2, certificate).bind(3, limits.per_account_and_certificate - 1);
  Statement any_account(db_,
                        "SELECT at FROM login_attempts WHERE certificate = ? "
                        "ORDER BY at DESC LIMIT 1 OFFSET ?");
  any_account.bind(1, certificate).bind(2, limits.per_certificate - 1);
  if (account.step()) {
    gate.retry_at = account.integer(0) + limits.window_seconds;
  } else if (any_account.step()) {
    gate.retry_at = any_account.integer(0) + limits.window_seconds;
  } else {
    Statement earlier(db_,
                      "SELECT COUNT(*) FROM login_attempts WHERE name = ? AND certificate = ?");
    earlier.bind(1, name).bind(2, certificate).step();
    gate.earlier_failures = static_cast<int>(earlier.integer(0));
    Statement(db_, "INSERT INTO login_attempts (name, certificate, at) VALUES (?, ?, ?)")
        .bind(1, name)
        .bind(2, certificate)
        .bind(3, now)
        .run();
    gate.attempt = db_.last_insert_id();
  }
  transaction.commit();
  return gate;
}

void SqliteStore::end_login_attempt(std::int64_t attempt, bool succeeded) {
  if (!succeeded) return;  // the attempt stays, as a failure
  Lock lock(mutex_);
  Statement(db_,
            "DELETE FROM login_attempts WHERE (name, certificate) = "
            "(SELECT name, certificate FROM login_attempts WHERE id = ?)")
      .bind(1, attempt)
      .run();
}

void SqliteStore::clear_login_attempts(const std::string& name) {
  Lock lock(mutex_);
  Statement(db_, "DELETE FROM login_attempts WHERE name = ?").bind(1, name).run();
}

void SqliteStore::add_session(const shop::SessionRecord& session, std::time_t now,
                              std::size_t max_per_user) {
  Lock lock(mutex_);
  Transaction transaction(db_);
  Statement(db_,
            "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions "
            "WHERE expires_at <= ? LIMIT 100)")
      .bind(1, now)
      .run();
  Statement(db_,
            "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions "
            "WHERE user_id = ? ORDER BY expires_at DESC, rowid DESC LIMIT -1 OFFSET ?)")
      .bind(1, session.user_id)
      .bind(2, static_cast<std::int64_t>(std::max<std::size_t>(max_per_user, 1)) - 1)
      .run();
  Statement(db_,
            "INSERT INTO sessions (token_hash, user_id, certificate_fingerprint, expires_at) "
            "VALUES (?, ?, ?, ?)")
      .bind(1, session.token_hash)
      .bind(2, session.user_id)
      .bind(3, session.certificate_fingerprint)
      .bind(4, session.expires_at)
      .run();
  transaction.commit();
}

std::optional<shop::SessionOfUser> SqliteStore::find_session(const std::string& token_hash) {
  Lock lock(mutex_);
  Statement select(db_,
                   "SELECT u.id, u.name, u.role, u.password_hash, s.token_hash, "
                   "s.certificate_fingerprint, s.expires_at "
                   "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?");
  select.bind(1, token_hash);
  if (!select.step()) return std::nullopt;
  shop::User user = read_user(select);
  return shop::SessionOfUser{{select.text(4), user.id, select.text(5), select.integer(6)},
                             std::move(user)};
}

void SqliteStore::delete_session(const std::string& token_hash) {
  Lock lock(mutex_);
  Statement(db_, "DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash).run();
}

std::size_t SqliteStore::item_count() {
  Lock lock(mutex_);
  Statement count(db_, "SELECT COUNT(*) FROM items");
  count.step();
  return static_cast<std::size_t>(count.integer(0));
}

std::vector<std::string> SqliteStore::categories() {
  Lock lock(mutex_);
  Statement select(db_, "SELECT DISTINCT category FROM items ORDER BY category");
  std::vector<std::string> categories;
  while (select.step()) categories.push_back(select.text(0));
  return categories;
}

std::vector<shop::Item> SqliteStore::items(const shop::ItemQuery& query) {
  Lock lock(mutex_);
  Statement select(db_, std::string(kItemColumns) +
                            "WHERE (?1 = '' OR category = ?1) "
                            "AND (?2 = '' OR name LIKE ?3 ESCAPE '\\' OR sku LIKE ?3 ESCAPE '\\') "
                            "AND sku > ?4 ORDER BY sku LIMIT ?5");
  select.bind(1, query.category)
      .bind(2, query.text)
      .bind(3, contains_pattern(query.text))
      .bind(4, query.after_sku)
      .bind(5, static_cast<std::int64_t>(query.limit));
  std::vector<shop::Item> items;
  while (select.step()) items.push_back(read_item(select));
  return items;
}

std::optional<shop::Item> SqliteStore::item_locked(const std::string& sku) {
  Statement select(db_, std::string(kItemColumns) + "WHERE sku = ?");
  select.bind(1, sku);
  if (!select.step()) return std::nullopt;
  return read_item(select);
}

std::optional<shop::Item> SqliteStore::item(const std::string& sku) {
  Lock lock(mutex_);
  return item_locked(sku);
}

bool SqliteStore::add_item(const shop::Item& item) {
  Lock lock(mutex_);
  Statement(db_,
            "INSERT OR IGNORE INTO items (sku, name, category, stock, unit_price) "
            "VALUES (?, ?, ?, ?, ?)")
      .bind(1, item.sku)
      .bind(2, item.name)
      .bind(3, item.category)
      .bind(4, item.stock)
      .bind(5, item.unit_price)
      .run();
  return db_.changes() == 1;
}

bool SqliteStore::set_price(const std::string& sku, shop::Money unit_price) {
  Lock lock(mutex_);
  Statement(db_, "UPDATE items SET unit_price = ? WHERE sku = ?")
      .bind(1, unit_price)
      .bind(2, sku)
      .run();
  return db_.changes() == 1;
}

bool SqliteStore::restock(const std::string& sku, std::int64_t added) {
  Lock lock(mutex_);
  Statement(db_, "UPDATE items SET stock = stock + ? WHERE sku = ?")
      .bind(1, added)
      .bind(2, sku)
      .run();
  return db_.changes() == 1;
}

shop::OrderLine SqliteStore::order_line(std::int64_t id) {
  Statement select(db_, std::string(kLineColumns) + "WHERE id = ?");
  select.bind(1, id);
  select.step();
  return read_line(select);
}

std::int64_t SqliteStore::open_receipt_id(std::int64_t user_id, std::time_t now) {
  Statement select(db_, "SELECT id FROM receipts WHERE user_id = ? AND closed_at IS NULL");
  select.bind(1, user_id);
  if (select.step()) return select.integer(0);
  Statement(db_, "INSERT INTO receipts (user_id, opened_at) VALUES (?, ?)")
      .bind(1, user_id)
      .bind(2, now)
      .run();
  return db_.last_insert_id();
}

shop::PurchaseOutcome SqliteStore::purchase(const shop::PurchaseRequest& request) {
  PurchaseJob job{&request, {}, nullptr};
  purchases_.submit(job, [this](std::span<PurchaseJob* const> jobs) {
    Lock lock(mutex_);
    Transaction transaction(db_);
    for (PurchaseJob* each : jobs) {
      // Each purchase in a savepoint of its own: one refused changes nothing, not even
      // the receipt it opened, and does not undo the others.
      db_.exec("SAVEPOINT purchase");
      try {
        each->outcome = purchase_locked(*each->request);
      } catch (const std::exception&) {
        each->error = std::current_exception();
      }
      if (each->error || each->outcome.status != shop::PurchaseOutcome::Status::kBought) {
        db_.exec("ROLLBACK TO purchase");
      }
      db_.exec("RELEASE purchase");
    }
    transaction.commit();
  });
  if (job.error) std::rethrow_exception(job.error);
  return job.outcome;
}

shop::PurchaseOutcome SqliteStore::purchase_locked(const shop::PurchaseRequest& request) {
  using Status = shop::PurchaseOutcome::Status;
  std::string fingerprint = request.fingerprint();
  if (!request.idempotency_key.empty()) {
    Statement earlier(
        db_, "SELECT request, order_line_id FROM idempotency_keys WHERE user_id = ? AND key = ?");
    earlier.bind(1, request.user_id).bind(2, request.idempotency_key);
    if (earlier.step()) {
      if (earlier.text(0) != fingerprint) return {Status::kKeyReused, {}, 0};
      return {Status::kReplayed, order_line(earlier.integer(1)), 0};
    }
  }
  std::optional<shop::Item> item = item_locked(request.sku);
  if (!item) return {Status::kUnknownItem, {}, 0};
  if (item->stock < request.quantity) return {Status::kInsufficientStock, {}, item->stock};
  std::optional<shop::Money> total = shop::checked_multiply(item->unit_price, request.quantity);
  std::int64_t receipt_id = open_receipt_id(request.user_id, request.now);
  Statement sum(db_, "SELECT total FROM receipts WHERE id = ?");
  sum.bind(1, receipt_id).step();
  // Every receipt total stays representable: a line that would overflow it is refused.
  if (!total || !shop::checked_add(sum.integer(0), *total)) return {Status::kOverflow, {}, 0};
  Statement(db_, "UPDATE receipts SET total = total + ? WHERE id = ?")
      .bind(1, *total)
      .bind(2, receipt_id)
      .run();

  Statement(db_, "UPDATE items SET stock = stock - ? WHERE sku = ?")
      .bind(1, request.quantity)
      .bind(2, request.sku)
      .run();
  shop::OrderLine line{0,          receipt_id,       item->sku,
                       item->name, request.quantity, item->unit_price,
                       *total,     request.now};
  Statement(db_,
            "INSERT INTO order_lines (receipt_id, sku, name, quantity, unit_price, line_total, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, line.receipt_id)
      .bind(2, line.sku)
      .bind(3, line.name)
      .bind(4, line.quantity)
      .bind(5, line.unit_price)
      .bind(6, line.line_total)
      .bind(7, line.created_at)
      .run();
  line.id = db_.last_insert_id();
  if (!request.idempotency_key.empty()) {
    Statement(
        db_,
        "INSERT INTO idempotency_keys (user_id, key, request, order_line_id) VALUES (?, ?, ?, ?)")
        .bind(1, request.user_id)
        .bind(2, request.idempotency_key)
        .bind(3, fingerprint)
        .bind(4, line.id)
        .run();
  }
  return {Status::kBought, line, 0};
}

shop::Receipt SqliteStore::load_receipt(std::int64_t receipt_id) {
  Statement header(db_, "SELECT id, user_id, opened_at, closed_at FROM receipts WHERE id = ?");
  header.bind(1, receipt_id);
  header.step();
  shop::Receipt receipt;
  receipt.id = header.integer(0);
  receipt.user_id = header.integer(1);
  receipt.opened_at = header.integer(2);
  if (!header.is_null(3)) receipt.closed_at = header.integer(3);
  Statement lines(db_, std::string(kLineColumns) + "WHERE receipt_id = ? ORDER BY id");
  lines.bind(1, receipt_id);
  while (lines.step()) {
    receipt.lines.push_back(read_line(lines));
    // purchase() refuses a line that would overflow the total, so this sum cannot.
    receipt.total += receipt.lines.back().line_total;
  }
  return receipt;
}

shop::Receipt SqliteStore::open_receipt(std::int64_t user_id) {
  Lock lock(mutex_);
  Statement select(db_, "SELECT id FROM receipts WHERE user_id = ? AND closed_at IS NULL");
  select.bind(1, user_id);
  if (!select.step()) return shop::Receipt{0, user_id, {}, 0, 0, std::nullopt};
  return load_receipt(select.integer(0));
}

std::optional<shop::Receipt> SqliteStore::close_receipt(std::int64_t user_id, std::time_t now) {
  Lock lock(mutex_);
  Transaction transaction(db_);
  Statement select(db_,
                   "SELECT id FROM receipts WHERE user_id = ? AND closed_at IS NULL "
                   "AND EXISTS (SELECT 1 FROM order_lines WHERE receipt_id = receipts.id)");
  select.bind(1, user_id);
  if (!select.step()) return std::nullopt;
  std::int64_t id = select.integer(0);
  Statement(db_, "UPDATE receipts SET closed_at = ? WHERE id = ?").bind(1, now).bind(2, id).run();
  shop::Receipt receipt = load_receipt(id);
  transaction.commit();
  return receipt;
}

std::vector<shop::Receipt> SqliteStore::closed_receipts(std::int64_t user_id) {
  Lock lock(mutex_);
  Statement select(
      db_, "SELECT id FROM receipts WHERE user_id = ? AND closed_at IS NOT NULL ORDER BY id");
  select.bind(1, user_id);
  std::vector<std::int64_t> ids;
  while (select.step()) ids.push_back(select.integer(0));
  std::vector<shop::Receipt> receipts;
  for (std::int64_t id : ids) receipts.push_back(load_receipt(id));
  return receipts;
}

shop::MessageOutcome SqliteStore::append_message(const std::string& owner,
                                                 const shop::Message& message,
                                                 const shop::MessageQuota& quota) {
  Lock lock(mutex_);
  Transaction transaction(db_);
  shop::MessageOutcome outcome = append_message_locked(owner, message, quota);
  if (outcome.status == shop::MessageOutcome::Status::kStored) transaction.commit();
  return outcome;
}

std::size_t SqliteStore::import_messages(
    const std::vector<std::pair<std::string, shop::Message>>& batch,
    const shop::MessageQuota& quota) {
  Lock lock(mutex_);
  Transaction transaction(db_);
  std::size_t stored = 0;
  for (const auto& [owner, message] : batch) {
    stored += append_message_locked(owner, message, quota).status ==
              shop::MessageOutcome::Status::kStored;
  }
  transaction.commit();
  return stored;
}

shop::MessageOutcome SqliteStore::append_message_locked(const std::string& owner,
                                                        const shop::Message& message,
                                                        const shop::MessageQuota& quota) {
  using Status = shop::MessageOutcome::Status;
  auto size = static_cast<std::int64_t>(message.body.size());
  Statement usage(db_, "SELECT count, bytes FROM message_usage WHERE owner = ?");
  usage.bind(1, owner);
  std::int64_t count = 0, bytes = 0;
  if (usage.step()) {
    count = usage.integer(0);
    bytes = usage.integer(1);
  }
  Statement everyone(db_, "SELECT COALESCE(SUM(bytes), 0) FROM message_usage");
  everyone.step();
  if (count + 1 > quota.max_count) return {Status::kTooMany, {}};
  if (bytes + size > quota.max_bytes) return {Status::kTooLarge, {}};
  if (everyone.integer(0) + size > quota.max_total_bytes) return {Status::kStoreFull, {}};
  // Ids are never reused (AUTOINCREMENT), so a client paging with ?since= misses
  // nothing when old messages are deleted; an id given (an imported message) is kept.
  Statement insert(db_, message.id != 0 ? "INSERT INTO messages (owner, received_at, content_type, "
                                          "body, id) VALUES (?, ?, ?, ?, ?)"
                                        : "INSERT INTO messages (owner, received_at, content_type, "
                                          "body) VALUES (?, ?, ?, ?)");
  insert.bind(1, owner).bind(2, message.received_at).bind(3, message.content_type);
  insert.bind(4, message.body);
  if (message.id != 0) insert.bind(5, message.id);
  insert.run();
  shop::Message stored = message;
  stored.id = db_.last_insert_id();
  Statement(db_,
            "INSERT INTO message_usage (owner, count, bytes) VALUES (?, 1, ?) "
            "ON CONFLICT (owner) DO UPDATE SET count = count + 1, bytes = bytes + excluded.bytes")
      .bind(1, owner)
      .bind(2, size)
      .run();
  return {Status::kStored, stored};
}

std::vector<shop::Message> SqliteStore::messages(const std::string& owner, std::int64_t after_id,
                                                 std::size_t max_count, std::size_t max_bytes) {
  Lock lock(mutex_);
  Statement select(db_,
                   "SELECT id, received_at, content_type, body FROM messages "
                   "WHERE owner = ? AND id > ? ORDER BY id LIMIT ?");
  select.bind(1, owner).bind(2, after_id).bind(3, static_cast<std::int64_t>(max_count));
  std::vector<shop::Message> page;
  std::size_t bytes = 0;
  while (select.step()) {
    shop::Message message{select.integer(0), select.text(1), select.text(2), select.text(3)};
    bytes += message.body.size();
    if (!page.empty() && bytes > max_bytes) break;
    page.push_back(std::move(message));
  }
  return page;
}

std::size_t SqliteStore::delete_messages_before(const std::string& received_before) {
  Lock lock(mutex_);
  Transaction transaction(db_);
  Statement(db_, "DELETE FROM messages WHERE received_at < ?").bind(1, received_before).run();
  auto deleted = static_cast<std::size_t>(db_.changes());
  if (deleted > 0) {
    db_.exec("DELETE FROM message_usage");
    db_.exec(
        "INSERT INTO message_usage (owner, count, bytes) "
        "SELECT owner, COUNT(*), SUM(LENGTH(CAST(body AS BLOB))) FROM messages GROUP BY owner");
  }
  transaction.commit();
  return deleted;
}

}  // namespace tlshop::store
