#include "store/postgres_store.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "store/like_pattern.hpp"
#include "store/postgres_schema.hpp"

namespace tlshop::store {
namespace {

using Connection = PostgresConnection;
using Status = shop::PurchaseOutcome::Status;

// A transaction that lost a race with another is run again, this many times in all.
constexpr int kAttempts = 5;
// Advisory locks, by class (any numbers, the same for every tlshop; migrations use
// 7362841): message quotas, one client certificate's login attempts; one user's receipt
// and keys take the one-key lock of the user's id.
constexpr const char* kLockMessages = "SELECT pg_advisory_xact_lock(7362842, 0)";
constexpr const char* kLockLogins = "SELECT pg_advisory_xact_lock(7362843, hashtext($1))";
constexpr const char* kLockSessions =
    "SELECT pg_advisory_xact_lock(7362844, hashtext($1::BIGINT::TEXT))";

constexpr const char* kUserColumns = "SELECT id, name, role, password_hash FROM users ";
constexpr const char* kItemColumns = "SELECT sku, name, category, stock, unit_price FROM items ";
constexpr const char* kLineColumns =
    "SELECT id, receipt_id, sku, name, quantity, unit_price, line_total, created_at FROM "
    "order_lines ";

shop::User read_user(const PostgresResult& rows, int row) {
  return {rows.integer(row, 0), rows.text(row, 1),
          shop::parse_role(rows.text(row, 2)).value_or(shop::Role::kCustomer), rows.text(row, 3)};
}

shop::Item read_item(const PostgresResult& rows, int row) {
  return {rows.text(row, 0), rows.text(row, 1), rows.text(row, 2), rows.integer(row, 3),
          rows.integer(row, 4)};
}

// An order line from kLineColumns' columns, starting at `first`.
shop::OrderLine read_line(const PostgresResult& rows, int row, int first = 0) {
  auto number = [&](int column) { return rows.integer(row, first + column); };
  return {number(0),
          number(1),
          rows.text(row, first + 2),
          rows.text(row, first + 3),
          number(4),
          number(5),
          number(6),
          number(7)};
}

std::optional<shop::User> first_user(const PostgresResult& rows) {
  if (rows.rows() == 0) return std::nullopt;
  return read_user(rows, 0);
}

shop::Receipt load_receipt(Connection& db, std::int64_t receipt_id) {
  PostgresResult header =
      db.exec("SELECT id, user_id, opened_at, closed_at FROM receipts WHERE id = $1", {receipt_id});
  shop::Receipt receipt;
  receipt.id = header.integer(0, 0);
  receipt.user_id = header.integer(0, 1);
  receipt.opened_at = header.integer(0, 2);
  if (!header.is_null(0, 3)) receipt.closed_at = header.integer(0, 3);
  PostgresResult lines =
      db.exec(std::string(kLineColumns) + "WHERE receipt_id = $1 ORDER BY id", {receipt_id});
  for (int row = 0; row < lines.rows(); ++row) {
    receipt.lines.push_back(read_line(lines, row));
    receipt.total += receipt.lines.back().line_total;
  }
  return receipt;
}

// A batch of purchases in one statement, and so in one transaction of its own, in the
// order given: the function tlshop_purchase_batch (postgres_schema.cpp) takes the locks
// of the batch's users, then runs each purchase, one row each, numbered from 1.
constexpr const char* kPurchaseBatch =
    "SELECT outcome, line_id, line_receipt, line_sku, line_name, line_quantity, "
    "line_unit_price, line_cost, line_created_at, available, purchase_number "
    "FROM tlshop_purchase_batch($1::BIGINT[], $2::TEXT[], $3::BIGINT[], $4::TEXT[], "
    "$5::TEXT[], $6::BIGINT[])";

constexpr int kPurchaseNumberColumn = 10;

// kPurchaseBatch's parameters: one array per column, a purchase per element.
std::vector<PostgresValue> batch_parameters(
    const std::vector<const shop::PurchaseRequest*>& requests) {
  std::array<std::vector<std::string>, 6> columns;
  for (const shop::PurchaseRequest* request : requests) {
    for (auto [column, value] : {std::pair{0, std::to_string(request->user_id)},
                                 {1, request->sku},
                                 {2, std::to_string(request->quantity)},
                                 {3, request->idempotency_key},
                                 {4, request->fingerprint()},
                                 {5, std::to_string(request->now)}}) {
      columns[static_cast<std::size_t>(column)].push_back(std::move(value));
    }
  }
  std::vector<PostgresValue> parameters;
  for (const auto& column : columns) parameters.emplace_back(postgres_array(column));
  return parameters;
}

// One row of kPurchaseBatch as the purchase's outcome; throws Error for a purchase that
// failed for another reason (its own alone: the others stand).
shop::PurchaseOutcome purchase_outcome(const PostgresResult& rows, int row) {
  static const std::map<std::string, Status, std::less<>> kOutcomes{
      {"bought", Status::kBought},
      {"replayed", Status::kReplayed},
      {"key_reused", Status::kKeyReused},
      {"unknown_item", Status::kUnknownItem},
      {"insufficient_stock", Status::kInsufficientStock},
      {"overflow", Status::kOverflow}};
  auto outcome = kOutcomes.find(rows.text(row, 0));
  if (outcome == kOutcomes.end()) {
    throw Error("PostgreSQL gave an unknown purchase outcome: " + rows.text(row, 0));
  }
  shop::PurchaseOutcome result{outcome->second, {}, rows.integer(row, 9)};
  if (result.status == Status::kBought || result.status == Status::kReplayed) {
    result.line = read_line(rows, row, 1);
  }
  return result;
}

shop::MessageOutcome append_message_in(Connection& db, const std::string& owner,
                                       const shop::Message& message,
                                       const shop::MessageQuota& quota) {
  using MessageStatus = shop::MessageOutcome::Status;
  db.exec(kLockMessages);
  auto size = static_cast<std::int64_t>(message.body.size());
  PostgresResult usage = db.exec(
      "SELECT COALESCE((SELECT count FROM message_usage WHERE owner = $1), 0), "
      "COALESCE((SELECT bytes FROM message_usage WHERE owner = $1), 0), "
      "COALESCE((SELECT SUM(bytes) FROM message_usage), 0)",
      {owner});
  if (usage.integer(0, 0) + 1 > quota.max_count) return {MessageStatus::kTooMany, {}};
  if (usage.integer(0, 1) + size > quota.max_bytes) return {MessageStatus::kTooLarge, {}};
  if (usage.integer(0, 2) + size > quota.max_total_bytes) return {MessageStatus::kStoreFull, {}};
  // Ids are never reused (an identity), so a client paging with ?since= misses nothing
  // when old messages are deleted; an id given (an imported message) is kept.
  PostgresValue id = message.id != 0 ? PostgresValue(message.id) : PostgresValue(std::nullopt);
  shop::Message stored = message;
  stored.id = db.exec(
                    "INSERT INTO messages (id, owner, received_at, content_type, body) "
                    "VALUES (COALESCE($1::BIGINT, nextval(pg_get_serial_sequence('messages', "
                    "'id'))), $2, $3, $4, $5) RETURNING id",
                    {id, owner, message.received_at, message.content_type, message.body})
                  .integer(0, 0);
  db.exec(
      "INSERT INTO message_usage (owner, count, bytes) VALUES ($1, 1, $2) "
      "ON CONFLICT (owner) DO UPDATE SET count = message_usage.count + 1, "
      "bytes = message_usage.bytes + excluded.bytes",
      {owner, size});
  return {MessageStatus::kStored, stored};
}

}  // namespace

// Runs `work` with a connection, and again, after a short random pause, when its
// transaction lost a race with another (a deadlock, a serialization failure): such a
// transaction was rolled back whole. Nothing is run again after a lost connection, whose
// last statement may or may not have been carried out.
template <typename Work>
auto PostgresStore::run(Work&& work) {
  for (int attempt = 1;; ++attempt) {
    try {
      PostgresPool::Lease connection = pool_.lease();
      return work(*connection);
    } catch (const PostgresError& e) {
      if (!e.is_transient() || attempt >= kAttempts) throw;
    }
    thread_local std::minstd_rand jitter(std::random_device{}());
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt + jitter() % 20));
  }
}

PostgresStore::PostgresStore(const std::string& conninfo, std::size_t connections)
    : pool_(conninfo, connections) {
  run([](Connection& db) { migrate(db); });
}

std::optional<shop::User> PostgresStore::add_user(const std::string& name, shop::Role role,
                                                  const std::string& password_hash) {
  return run([&](Connection& db) -> std::optional<shop::User> {
    PostgresResult added = db.exec(
        "INSERT INTO users (name, role, password_hash) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO NOTHING RETURNING id",
        {name, shop::role_name(role), password_hash});
    if (added.rows() == 0) return std::nullopt;
    return shop::User{added.integer(0, 0), name, role, password_hash};
  });
}

std::optional<shop::User> PostgresStore::find_user(const std::string& name) {
  return run([&](Connection& db) {
    return first_user(db.exec(std::string(kUserColumns) + "WHERE name = $1", {name}));
  });
}

std::optional<shop::User> PostgresStore::find_user(std::int64_t id) {
  return run([&](Connection& db) {
    return first_user(db.exec(std::string(kUserColumns) + "WHERE id = $1", {id}));
  });
}

bool PostgresStore::set_password_hash(const std::string& name, const std::string& hash) {
  return run([&](Connection& db) {
    PostgresTransaction transaction(db);
    PostgresResult changed =
        db.exec("UPDATE users SET password_hash = $1 WHERE name = $2 RETURNING id", {hash, name});
    if (changed.rows() == 0) return false;
    // A new password ends every session of the old one, on every server.
    db.exec("DELETE FROM sessions WHERE user_id = $1", {changed.integer(0, 0)});
    transaction.commit();
    return true;
  });
}

shop::LoginGate PostgresStore::begin_login_attempt(const std::string& name,
                                                   const std::string& certificate, std::time_t now,
                                                   const shop::LoginLimits& limits) {
  return run([&](Connection& db) {
    PostgresTransaction transaction(db);
    // Attempts with one certificate, on whichever server, are counted one at a time.
    db.exec(kLockLogins, {certificate});
    db.exec("DELETE FROM login_attempts WHERE at <= $1",
            {static_cast<std::int64_t>(now) - limits.window_seconds});
    shop::LoginGate gate;
    PostgresResult account = db.exec(
        "SELECT at FROM login_attempts WHERE name = $1 AND certificate = $2 "
        "ORDER BY at DESC LIMIT 1 OFFSET $3",
        {name, certificate, limits.per_account_and_certificate - 1});
    PostgresResult any_account = db.exec(
        "SELECT at FROM login_attempts WHERE certificate = $1 ORDER BY at DESC LIMIT 1 OFFSET $2",
        {certificate, limits.per_certificate - 1});
    if (account.rows() == 1) {
      gate.retry_at = account.integer(0, 0) + limits.window_seconds;
    } else if (any_account.rows() == 1) {
      gate.retry_at = any_account.integer(0, 0) + limits.window_seconds;
    } else {
      gate.earlier_failures = static_cast<int>(
          db.exec("SELECT COUNT(*) FROM login_attempts WHERE name = $1 AND certificate = $2",
                  {name, certificate})
              .integer(0, 0));
      gate.attempt = db.exec(
                           "INSERT INTO login_attempts (name, certificate, at) VALUES ($1, $2, "
                           "$3) RETURNING id",
                           {name, certificate, static_cast<std::int64_t>(now)})
                         .integer(0, 0);
    }
    transaction.commit();
    return gate;
  });
}

void PostgresStore::end_login_attempt(std::int64_t attempt, bool succeeded) {
  if (!succeeded) return;  // the attempt stays, as a failure
  run([&](Connection& db) {
    db.exec(
        "DELETE FROM login_attempts WHERE (name, certificate) = "
        "(SELECT name, certificate FROM login_attempts WHERE id = $1)",
        {attempt});
  });
}

void PostgresStore::clear_login_attempts(const std::string& name) {
  run([&](Connection& db) { db.exec("DELETE FROM login_attempts WHERE name = $1", {name}); });
}

void PostgresStore::add_session(const shop::SessionRecord& session, std::time_t now,
                                std::size_t max_per_user) {
  run([&](Connection& db) {
    PostgresTransaction transaction(db);
    // One login of a user at a time, on whichever server, counts its sessions.
    db.exec(kLockSessions, {session.user_id});
    // Expired sessions a few at a time, none that another login is removing.
    db.exec(
        "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions "
        "WHERE expires_at <= $1 LIMIT 100 FOR UPDATE SKIP LOCKED)",
        {static_cast<std::int64_t>(now)});
    db.exec(
        "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions "
        "WHERE user_id = $1 ORDER BY expires_at DESC, id DESC OFFSET $2)",
        {session.user_id, static_cast<std::int64_t>(std::max<std::size_t>(max_per_user, 1)) - 1});
    db.exec(
        "INSERT INTO sessions (token_hash, user_id, certificate_fingerprint, expires_at) "
        "VALUES ($1, $2, $3, $4)",
        {session.token_hash, session.user_id, session.certificate_fingerprint,
         static_cast<std::int64_t>(session.expires_at)});
    transaction.commit();
  });
}

std::optional<shop::SessionOfUser> PostgresStore::find_session(const std::string& token_hash) {
  return run([&](Connection& db) -> std::optional<shop::SessionOfUser> {
    PostgresResult found = db.exec(
        "SELECT u.id, u.name, u.role, u.password_hash, s.token_hash, s.certificate_fingerprint, "
        "s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        {token_hash});
    if (found.rows() == 0) return std::nullopt;
    shop::User user = read_user(found, 0);
    return shop::SessionOfUser{{found.text(0, 4), user.id, found.text(0, 5), found.integer(0, 6)},
                               std::move(user)};
  });
}

void PostgresStore::delete_session(const std::string& token_hash) {
  run([&](Connection& db) { db.exec("DELETE FROM sessions WHERE token_hash = $1", {token_hash}); });
}

std::size_t PostgresStore::item_count() {
  return run([](Connection& db) {
    return static_cast<std::size_t>(db.exec("SELECT COUNT(*) FROM items").integer(0, 0));
  });
}

std::vector<std::string> PostgresStore::categories() {
  return run([](Connection& db) {
    PostgresResult rows = db.exec("SELECT DISTINCT category FROM items ORDER BY category");
    std::vector<std::string> categories;
    for (int row = 0; row < rows.rows(); ++row) categories.push_back(rows.text(row, 0));
    return categories;
  });
}

std::vector<shop::Item> PostgresStore::items(const shop::ItemQuery& query) {
  return run([&](Connection& db) {
    // ILIKE: SQLite's LIKE, which the embedded store uses, ignores case too.
    PostgresResult rows = db.exec(std::string(kItemColumns) +
                                      "WHERE ($1 = '' OR category = $1) "
                                      "AND ($2 = '' OR name ILIKE $3 OR sku ILIKE $3) "
                                      "AND sku > $4 ORDER BY sku LIMIT $5",
                                  {query.category, query.text, contains_pattern(query.text),
                                   query.after_sku, static_cast<std::int64_t>(query.limit)});
    std::vector<shop::Item> items;
    for (int row = 0; row < rows.rows(); ++row) items.push_back(read_item(rows, row));
    return items;
  });
}

std::optional<shop::Item> PostgresStore::item(const std::string& sku) {
  return run([&](Connection& db) -> std::optional<shop::Item> {
    PostgresResult found = db.exec(std::string(kItemColumns) + "WHERE sku = $1", {sku});
    if (found.rows() == 0) return std::nullopt;
    return read_item(found, 0);
  });
}

bool PostgresStore::add_item(const shop::Item& item) {
  return run([&](Connection& db) {
    return db.exec(
                 "INSERT INTO items (sku, name, category, stock, unit_price) "
                 "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sku) DO NOTHING",
                 {item.sku, item.name, item.category, item.stock, item.unit_price})
               .changed() == 1;
  });
}

bool PostgresStore::set_price(const std::string& sku, shop::Money unit_price) {
  return run([&](Connection& db) {
    return db.exec("UPDATE items SET unit_price = $1 WHERE sku = $2", {unit_price, sku})
               .changed() == 1;
  });
}

bool PostgresStore::restock(const std::string& sku, std::int64_t added) {
  return run([&](Connection& db) {
    return db.exec("UPDATE items SET stock = stock + $1 WHERE sku = $2", {added, sku}).changed() ==
           1;
  });
}

shop::PurchaseOutcome PostgresStore::purchase(const shop::PurchaseRequest& request) {
  PurchaseJob job{&request, {}, nullptr};
  purchases_.submit(job, [this](std::span<PurchaseJob* const> jobs) {
    // Rows are locked in the order of their skus on every server, so that two batches
    // do not wait for each other's items.
    std::vector<PurchaseJob*> ordered(jobs.begin(), jobs.end());
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
      return a->request->sku < b->request->sku;
    });
    try {
      purchase_together(ordered);
    } catch (const PostgresError& e) {
      if (!e.is_data_fault() || ordered.size() == 1) throw;
      // Refused for what one of the purchases asked (a constraint it broke), and
      // rolled back with the others: each goes again alone, so that it fails alone.
      for (PurchaseJob* each : ordered) {
        try {
          purchase_together({each});
        } catch (const std::exception&) {
          each->error = std::current_exception();
        }
      }
    }
  });
  if (job.error) std::rethrow_exception(job.error);
  return job.outcome;
}

void PostgresStore::purchase_together(const std::vector<PurchaseJob*>& jobs) {
  std::vector<const shop::PurchaseRequest*> requests;
  for (const PurchaseJob* each : jobs) requests.push_back(each->request);
  std::vector<PostgresValue> parameters = batch_parameters(requests);
  run([&](Connection& db) {
    PostgresResult rows = db.exec(kPurchaseBatch, parameters);
    std::vector<int> row_of(jobs.size(), -1);
    for (int row = 0; row < rows.rows(); ++row) {
      std::int64_t number = rows.integer(row, kPurchaseNumberColumn);
      if (number >= 1 && number <= static_cast<std::int64_t>(jobs.size())) {
        row_of[static_cast<std::size_t>(number - 1)] = row;
      }
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      jobs[i]->error = nullptr;
      try {
        if (row_of[i] < 0) throw Error("PostgreSQL gave no outcome for a purchase");
        jobs[i]->outcome = purchase_outcome(rows, row_of[i]);
      } catch (const Error&) {
        jobs[i]->error = std::current_exception();  // this purchase's alone
      }
    }
  });
}

shop::Receipt PostgresStore::open_receipt(std::int64_t user_id) {
  return run([&](Connection& db) {
    PostgresTransaction snapshot(db, PostgresTransaction::kSnapshot);  // header and lines agree
    PostgresResult open =
        db.exec("SELECT id FROM receipts WHERE user_id = $1 AND closed_at IS NULL", {user_id});
    if (open.rows() == 0) return shop::Receipt{0, user_id, {}, 0, 0, std::nullopt};
    return load_receipt(db, open.integer(0, 0));
  });
}

std::optional<shop::Receipt> PostgresStore::close_receipt(std::int64_t user_id, std::time_t now) {
  return run([&](Connection& db) -> std::optional<shop::Receipt> {
    PostgresTransaction transaction(db);
    PostgresResult closed = db.exec(
        "UPDATE receipts SET closed_at = $1 WHERE user_id = $2 AND closed_at IS NULL "
        "AND EXISTS (SELECT 1 FROM order_lines WHERE receipt_id = receipts.id) RETURNING id",
        {static_cast<std::int64_t>(now), user_id});
    if (closed.rows() == 0) return std::nullopt;
    shop::Receipt receipt = load_receipt(db, closed.integer(0, 0));
    transaction.commit();
    return receipt;
  });
}

std::vector<shop::Receipt> PostgresStore::closed_receipts(std::int64_t user_id) {
  return run([&](Connection& db) {
    PostgresTransaction snapshot(db, PostgresTransaction::kSnapshot);
    PostgresResult ids =
        db.exec("SELECT id FROM receipts WHERE user_id = $1 AND closed_at IS NOT NULL ORDER BY id",
                {user_id});
    std::vector<shop::Receipt> receipts;
    for (int row = 0; row < ids.rows(); ++row) {
      receipts.push_back(load_receipt(db, ids.integer(row, 0)));
    }
    return receipts;
  });
}

shop::MessageOutcome PostgresStore::append_message(const std::string& owner,
                                                   const shop::Message& message,
                                                   const shop::MessageQuota& quota) {
  return run([&](Connection& db) {
    PostgresTransaction transaction(db);
    shop::MessageOutcome outcome = append_message_in(db, owner, message, quota);
    if (outcome.status == shop::MessageOutcome::Status::kStored) transaction.commit();
    return outcome;
  });
}

std::size_t PostgresStore::import_messages(
    const std::vector<std::pair<std::string, shop::Message>>& batch,
    const shop::MessageQuota& quota) {
  return run([&](Connection& db) {
    PostgresTransaction transaction(db);
    std::size_t stored = 0;
    for (const auto& [owner, message] : batch) {
      stored += append_message_in(db, owner, message, quota).status ==
                shop::MessageOutcome::Status::kStored;
    }
    // New messages are numbered after the imported ones, never below a number given.
    db.exec(
        "SELECT setval(pg_get_serial_sequence('messages', 'id'), GREATEST((SELECT MAX(id) FROM "
        "messages), (SELECT last_value FROM messages_id_seq), 1))");
    transaction.commit();
    return stored;
  });
}

std::vector<shop::Message> PostgresStore::messages(const std::string& owner, std::int64_t after_id,
                                                   std::size_t max_count, std::size_t max_bytes) {
  return run([&](Connection& db) {
    PostgresResult rows = db.exec(
        "SELECT id, received_at, content_type, body FROM messages "
        "WHERE owner = $1 AND id > $2 ORDER BY id LIMIT $3",
        {owner, after_id, static_cast<std::int64_t>(max_count)});
    std::vector<shop::Message> page;
    std::size_t bytes = 0;
    for (int row = 0; row < rows.rows(); ++row) {
      shop::Message message{rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2),
                            rows.text(row, 3)};
      bytes += message.body.size();
      if (!page.empty() && bytes > max_bytes) break;
      page.push_back(std::move(message));
    }
    return page;
  });
}

std::size_t PostgresStore::delete_messages_before(const std::string& received_before) {
  return run([&](Connection& db) {
    PostgresTransaction transaction(db);
    db.exec(kLockMessages);
    auto deleted = static_cast<std::size_t>(
        db.exec("DELETE FROM messages WHERE received_at < $1", {received_before}).changed());
    if (deleted > 0) {
      db.exec("DELETE FROM message_usage");
      db.exec(
          "INSERT INTO message_usage (owner, count, bytes) "
          "SELECT owner, COUNT(*), SUM(octet_length(body)) FROM messages GROUP BY owner");
    }
    transaction.commit();
    return deleted;
  });
}

}  // namespace tlshop::store
