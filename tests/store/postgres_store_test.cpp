// What only the PostgreSQL store promises: several servers (here, several stores in one
// process, each with its own connections and commit queue) on one database keep every
// rule, and an unreachable database is a clear, retryable refusal.
#include "store/postgres_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store/postgres.hpp"
#include "store/postgres_schema.hpp"
#include "support/earlier_shop.hpp"
#include "support/postgres_test_database.hpp"

namespace tlshop::store {
namespace {

using Status = shop::PurchaseOutcome::Status;

class PostgresStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<test::PostgresTestDatabase> database;

  void SetUp() override {
    std::string why_not;
    database = test::PostgresTestDatabase::make(why_not);
    if (!database) GTEST_SKIP() << why_not;
  }

  std::unique_ptr<PostgresStore> server() {
    return std::make_unique<PostgresStore>(database->conninfo(), 4);
  }

  // As the administrator, from the cluster's postgres database.
  void admin(const std::string& sql) {
    PostgresConnection(database->conninfo() + " dbname=postgres").exec(sql);
  }
};

TEST_F(PostgresStoreTest, TwoServersSellTheLastUnitsExactlyOnce) {
  auto a = server(), b = server();
  ASSERT_TRUE(a->add_item({"101", "phone", "Electronics", 50, 1000}));
  std::vector<shop::User> users;
  for (int i = 0; i < 32; ++i) {
    users.push_back(*a->add_user("u" + std::to_string(i), shop::Role::kCustomer, "h"));
  }
  std::atomic<int> sold{0};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < users.size(); ++i) {
    threads.emplace_back([&, i] {
      shop::Store& store = i % 2 == 0 ? *a : *b;
      for (int attempt = 0; attempt < 4; ++attempt) {
        if (store.purchase({users[i].id, "101", 1, "", 1000}).status == Status::kBought) ++sold;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(sold.load(), 50);
  EXPECT_EQ(b->item("101")->stock, 0);
}

TEST_F(PostgresStoreTest, ManyUsersBuyingSeveralItemsOnTwoServersAddUp) {
  auto a = server(), b = server();
  const std::vector<std::string> skus{"101", "102", "103"};
  for (const std::string& sku : skus) ASSERT_TRUE(a->add_item({sku, "x", "Race", 60, 700}));
  std::vector<shop::User> users;
  for (int i = 0; i < 12; ++i) {
    users.push_back(*a->add_user("u" + std::to_string(i), shop::Role::kCustomer, "h"));
  }
  // Each purchase is sent to one server and retried with its key on the other: batches
  // on both mix users, items, first tries and retries.
  std::mutex mutex;
  std::map<std::int64_t, shop::OrderLine> lines;  // every line acknowledged, by id
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (std::size_t u = 0; u < users.size(); ++u) {
    threads.emplace_back([&, u] {
      for (int n = 0; n < 12; ++n) {
        shop::PurchaseRequest request{users[u].id, skus[(u + n) % skus.size()], 1 + n % 3,
                                      "k" + std::to_string(n), 1000};
        shop::Store& first = (u + n) % 2 == 0 ? *a : *b;
        shop::Store& retry = &first == a.get() ? *b : *a;
        shop::PurchaseOutcome once = first.purchase(request), again = retry.purchase(request);
        bool bought = once.status == Status::kBought;
        if (bought != (again.status == Status::kReplayed) ||
            (bought && again.line.id != once.line.id)) {
          ++mismatches;
        }
        std::lock_guard lock(mutex);
        if (bought) lines[once.line.id] = once.line;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
  for (const std::string& sku : skus) {
    std::int64_t sold = 0;
    for (const auto& [id, line] : lines) sold += line.sku == sku ? line.quantity : 0;
    EXPECT_EQ(a->item(sku)->stock, 60 - sold) << sku;
    EXPECT_GT(sold, 0) << sku;
  }
  std::size_t on_receipts = 0;
  for (const shop::User& user : users) {
    shop::Receipt receipt = b->open_receipt(user.id);
    shop::Money total = 0;
    for (const shop::OrderLine& line : receipt.lines) {
      EXPECT_TRUE(lines.count(line.id)) << "a line nobody was told of: " << line.id;
      total += line.line_total;
    }
    EXPECT_EQ(receipt.total, total) << user.name;
    on_receipts += receipt.lines.size();
  }
  EXPECT_EQ(on_receipts, lines.size());
}

TEST_F(PostgresStoreTest, APurchaseThatFailsInABatchFailsAlone) {
  auto store = server();
  ASSERT_TRUE(store->add_item({"301", "shirt", "Clothes", 100, 500}));
  shop::User alice = *store->add_user("alice", shop::Role::kCustomer, "h");
  // Another transaction holds the item, so the first purchase's batch waits, and the
  // next purchases queue up to form one batch together.
  PostgresConnection blocker(database->conninfo());
  auto hold = std::make_unique<PostgresTransaction>(blocker);
  blocker.exec("SELECT 1 FROM items WHERE sku = '301' FOR UPDATE");
  std::atomic<int> bought{0}, failed{0};
  std::vector<std::thread> buyers;
  // However the test ends, the item is let go and every buyer finishes.
  auto let_go = [&] {
    hold.reset();
    for (auto& buyer : buyers) {
      if (buyer.joinable()) buyer.join();
    }
  };
  struct AtExit {
    std::function<void()> run;
    ~AtExit() { run(); }
  } at_exit{let_go};
  auto buy = [&](std::int64_t user) {
    buyers.emplace_back([&, user] {
      try {
        if (store->purchase({user, "301", 1, "", 1000}).status == Status::kBought) ++bought;
      } catch (const std::exception&) {
        ++failed;
      }
    });
  };
  buy(alice.id);
  PostgresConnection observer(database->conninfo());
  auto waits_for_lock = [&] {
    return observer
               .exec(
                   "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                   "AND datname = current_database()")
               .integer(0, 0) == 1;
  };
  for (int i = 0; i < 500 && !waits_for_lock(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(waits_for_lock());
  for (int i = 0; i < 4; ++i) buy(alice.id);
  buy(987654);  // no such user: its receipt breaks a foreign key
  for (int i = 0; i < 500 && store->purchases_waiting() < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(store->purchases_waiting(), 5u);
  let_go();  // the blocker rolls back: the item is free
  EXPECT_EQ(bought.load(), 5) << "the batch's other purchases stand";
  EXPECT_EQ(failed.load(), 1);
  EXPECT_EQ(store->item("301")->stock, 95);
}

TEST_F(PostgresStoreTest, AStatementGoneStaleIsPreparedAgain) {
  auto store = server();
  shop::User alice = *store->add_user("alice", shop::Role::kCustomer, "h");
  ASSERT_TRUE(store->find_user("alice"));  // prepared on the connection it used
  // A later schema changes what the prepared statement would return.
  PostgresConnection(database->conninfo())
      .exec("ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(100)");
  auto found = store->find_user("alice");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, alice.id);
}

TEST_F(PostgresStoreTest, AnIdempotencyKeyIsHonouredWhicheverServerTheRetryReaches) {
  auto a = server(), b = server();
  ASSERT_TRUE(a->add_item({"301", "shirts", "Clothes", 1000, 2000}));
  shop::User alice = *a->add_user("alice", shop::Role::kCustomer, "h");
  for (int round = 0; round < 20; ++round) {
    std::string key = "key-" + std::to_string(round);
    shop::PurchaseOutcome first, second;
    std::thread on_a([&] { first = a->purchase({alice.id, "301", 2, key, 1000}); });
    std::thread on_b([&] { second = b->purchase({alice.id, "301", 2, key, 1000}); });
    on_a.join();
    on_b.join();
    std::multiset<Status> outcomes{first.status, second.status};
    EXPECT_EQ(outcomes, (std::multiset<Status>{Status::kBought, Status::kReplayed})) << round;
    EXPECT_EQ(first.line.id, second.line.id);
  }
  EXPECT_EQ(a->item("301")->stock, 1000 - 20 * 2);
}

TEST_F(PostgresStoreTest, SessionsAndPasswordChangesReachEveryServer) {
  auto a = server(), b = server();
  shop::User alice = *a->add_user("alice", shop::Role::kCustomer, "h");
  a->add_session({"token", alice.id, "fp", 5000}, 1000, 32);
  EXPECT_EQ(b->find_session("token")->session.certificate_fingerprint, "fp");
  EXPECT_TRUE(b->set_password_hash("alice", "new"));
  EXPECT_FALSE(a->find_session("token"));
}

TEST_F(PostgresStoreTest, LoginAttemptsAreCountedAcrossServers) {
  auto a = server(), b = server();
  shop::LoginLimits limits{3, 20, 100};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      shop::Store& store = i % 2 == 0 ? *a : *b;
      if (store.begin_login_attempt("alice", "fp", 10, limits).attempt) ++admitted;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 3);
}

TEST_F(PostgresStoreTest, AConnectionTheServerClosedIsMadeAgainUnnoticed) {
  auto store = server();
  ASSERT_TRUE(store->add_item({"101", "phone", "Electronics", 5, 1000}));
  std::string name =
      PostgresConnection(database->conninfo()).exec("SELECT current_database()").text(0, 0);
  admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  // Once the server has closed them (as after a restart a while ago), the pool notices
  // without sending anything on them.
  PostgresConnection cluster(database->conninfo() + " dbname=postgres");
  for (int wait = 0; wait < 100; ++wait) {
    if (cluster.exec("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1", {name})
            .integer(0, 0) == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(store->item("101")->stock, 5);
}

TEST_F(PostgresStoreTest, AnUnreachableDatabaseIsARetryableRefusalThatChangesNothing) {
  auto store = server();
  ASSERT_TRUE(store->add_item({"101", "phone", "Electronics", 5, 1000}));
  shop::User alice = *store->add_user("alice", shop::Role::kCustomer, "h");
  std::string name =
      PostgresConnection(database->conninfo()).exec("SELECT current_database()").text(0, 0);
  admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
  admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  try {
    store->purchase({alice.id, "101", 1, "k", 1000});
    FAIL() << "a purchase went through while the database refused connections";
  } catch (const shop::StoreUnavailable& e) {
    EXPECT_GE(e.retry_after().count(), 1);
    EXPECT_NE(std::string(e.what()).find("PostgreSQL"), std::string::npos) << e.what();
  }
  EXPECT_THROW(store->item("101"), shop::StoreUnavailable) << "refused at once while down";
  admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the pool's first backoff
  EXPECT_EQ(store->item("101")->stock, 5);
  EXPECT_EQ(store->purchase({alice.id, "101", 1, "k", 1000}).status, Status::kBought);
}

TEST_F(PostgresStoreTest, ADatabaseOfEveryEarlierVersionIsUpgradedWithWhatItHolds) {
  std::time_t now = std::time(nullptr);
  for (int version = 1; version < newest_postgres_schema_version(); ++version) {
    SCOPED_TRACE("from version " + std::to_string(version));
    std::string why_not;
    auto earlier = test::PostgresTestDatabase::make(why_not);
    ASSERT_TRUE(earlier) << why_not;
    {
      PostgresConnection connection(earlier->conninfo());
      migrate(connection, version);
      EXPECT_EQ(schema_version(connection), version);
      connection.exec_script(test::earlier_shop_sql(true, now));
    }
    PostgresStore store(earlier->conninfo(), 2);
    test::expect_earlier_shop_kept(store, now);
    PostgresConnection upgraded(earlier->conninfo());
    EXPECT_EQ(schema_version(upgraded), newest_postgres_schema_version());
  }
}

TEST_F(PostgresStoreTest, LoginsOfOneUserOnTwoServersAtOnceKeepItsShareOfSessions) {
  auto a = server(), b = server();
  shop::User alice = *a->add_user("alice", shop::Role::kCustomer, "h");
  std::vector<std::thread> logins;
  for (int i = 0; i < 16; ++i) {
    logins.emplace_back([&, i] {
      shop::Store& store = i % 2 == 0 ? *a : *b;
      store.add_session({"s" + std::to_string(i), alice.id, "fp", 5000 + i}, 1000, 3);
    });
  }
  for (auto& login : logins) login.join();
  PostgresConnection observer(database->conninfo());
  EXPECT_EQ(observer.exec("SELECT COUNT(*) FROM sessions").integer(0, 0), 3);
}

TEST_F(PostgresStoreTest, RefusesADatabaseFromANewerTlshop) {
  server();
  PostgresConnection(database->conninfo()).exec("UPDATE tlshop_schema SET version = 99");
  EXPECT_THROW(server(), Error);
}

TEST(PostgresConnectionString, PasswordsNeverShow) {
  EXPECT_EQ(without_password("postgresql://shop:s3cret@db.example/shop"),
            "postgresql://shop:***@db.example/shop");
  EXPECT_EQ(without_password("postgresql://db/shop?user=shop&password=s3cret&sslmode=require"),
            "postgresql://db/shop?user=shop&password=***&sslmode=require");
  EXPECT_EQ(without_password("host=db password='s e c' user=shop"),
            "host=db password=*** user=shop");
  try {
    PostgresConnection("postgresql://shop:s3cret@/shop?host=/nonexistent");
    FAIL();
  } catch (const shop::StoreUnavailable& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tlshop::store
