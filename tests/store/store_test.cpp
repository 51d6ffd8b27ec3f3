// The shop::Store contract, held by both stores: SQLite (the embedded default) and
// PostgreSQL (several servers sharing one database), each test run against each.
#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <thread>

#include "support/store_under_test.hpp"

namespace tlshop::store {
namespace {

using Status = shop::PurchaseOutcome::Status;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<test::StoreUnderTest> under_test;
  shop::Store* store = nullptr;
  shop::User alice;

  void SetUp() override {
    std::string why_not;
    under_test = test::StoreUnderTest::make(GetParam(), why_not);
    if (!under_test) GTEST_SKIP() << why_not;
    store = &under_test->store();
    alice = *store->add_user("alice", shop::Role::kCustomer, "hash-a");
    ASSERT_TRUE(store->add_item({"101", "phone", "Electronics", 1, 100000}));
    ASSERT_TRUE(store->add_item({"301", "shirts", "Clothes", 62, 2000}));
  }

  void reopen() {
    under_test->reopen();
    store = &under_test->store();
  }

  shop::PurchaseOutcome buy(const shop::User& user, const std::string& sku, std::int64_t quantity,
                            const std::string& key = "") {
    return store->purchase({user.id, sku, quantity, key, 1000});
  }
};

TEST_P(StoreTest, TheLastUnitCanBeBoughtAndNoMore) {
  auto bought = buy(alice, "101", 1);
  ASSERT_EQ(bought.status, Status::kBought);
  EXPECT_EQ(bought.line.line_total, 100000);
  EXPECT_EQ(store->item("101")->stock, 0);
  auto refused = buy(alice, "101", 1);
  EXPECT_EQ(refused.status, Status::kInsufficientStock);
  EXPECT_EQ(refused.available, 0);
  EXPECT_EQ(store->open_receipt(alice.id).lines.size(), 1u);
}

TEST_P(StoreTest, RefusalsChangeNothing) {
  EXPECT_EQ(buy(alice, "999", 1).status, Status::kUnknownItem);
  EXPECT_EQ(buy(alice, "301", 63).status, Status::kInsufficientStock);
  EXPECT_EQ(store->item("301")->stock, 62);
  EXPECT_TRUE(store->open_receipt(alice.id).lines.empty());
}

TEST_P(StoreTest, AnIdempotencyKeyReplaysTheFirstPurchase) {
  auto first = buy(alice, "301", 2, "key-1");
  auto again = buy(alice, "301", 2, "key-1");
  EXPECT_EQ(again.status, Status::kReplayed);
  EXPECT_EQ(again.line.id, first.line.id);
  EXPECT_EQ(store->item("301")->stock, 60);
  EXPECT_EQ(buy(alice, "301", 3, "key-1").status, Status::kKeyReused);
  shop::User bob = *store->add_user("bob", shop::Role::kCustomer, "hash-b");
  EXPECT_EQ(buy(bob, "301", 2, "key-1").status, Status::kBought);  // keys are per user
}

TEST_P(StoreTest, ManyThreadsNeverOversell) {
  ASSERT_TRUE(store->restock("101", 49));  // 50 in stock
  std::vector<shop::User> users;
  for (int i = 0; i < 32; ++i) {
    users.push_back(*store->add_user("u" + std::to_string(i), shop::Role::kCustomer, "h"));
  }
  std::atomic<int> sold{0};
  std::vector<std::thread> threads;
  for (const shop::User& user : users) {
    threads.emplace_back([&, user] {
      for (int attempt = 0; attempt < 4; ++attempt) {
        if (buy(user, "101", 1).status == Status::kBought) ++sold;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(sold.load(), 50);
  EXPECT_EQ(store->item("101")->stock, 0);
  std::int64_t lines = 0;
  for (const shop::User& user : users) {
    shop::Receipt receipt = store->open_receipt(user.id);
    for (const auto& line : receipt.lines) lines += line.quantity;
    // Purchases share commits; a refused one leaves not even an empty receipt behind.
    if (receipt.lines.empty()) {
      EXPECT_EQ(receipt.id, 0);
    }
  }
  EXPECT_EQ(lines, 50);
}

TEST_P(StoreTest, AReceiptTotalCanNeverOverflow) {
  constexpr shop::Money kHuge = std::numeric_limits<shop::Money>::max() / 3;
  ASSERT_TRUE(store->add_item({"999", "gold", "Bullion", 10, kHuge}));
  EXPECT_EQ(buy(alice, "999", 2).status, Status::kBought);
  EXPECT_EQ(buy(alice, "999", 2).status, Status::kOverflow);
  EXPECT_EQ(buy(alice, "999", 4).status, Status::kOverflow);
  EXPECT_EQ(store->item("999")->stock, 8);
  EXPECT_EQ(store->open_receipt(alice.id).total, 2 * kHuge);
}

TEST_P(StoreTest, ReceiptsCloseAndKeepTheirTotals) {
  buy(alice, "301", 2);
  buy(alice, "101", 1);
  EXPECT_EQ(store->open_receipt(alice.id).total, 104000);
  auto closed = store->close_receipt(alice.id, 2000);
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->total, 104000);
  EXPECT_EQ(closed->closed_at, 2000);
  EXPECT_TRUE(store->open_receipt(alice.id).lines.empty());
  EXPECT_FALSE(store->close_receipt(alice.id, 3000));  // nothing on the new one
  buy(alice, "301", 1);
  store->close_receipt(alice.id, 4000);
  auto receipts = store->closed_receipts(alice.id);
  ASSERT_EQ(receipts.size(), 2u);
  EXPECT_EQ(receipts[1].total, 2000);
}

TEST_P(StoreTest, EverythingSurvivesAReopen) {
  buy(alice, "301", 5, "k");
  store->add_session({"tokenhash", alice.id, "aa:bb", 5000}, 1000, 32);
  reopen();
  EXPECT_EQ(store->item("301")->stock, 57);
  EXPECT_EQ(store->open_receipt(alice.id).lines.at(0).quantity, 5);
  EXPECT_EQ(store->find_session("tokenhash")->session.certificate_fingerprint, "aa:bb");
  EXPECT_EQ(buy(alice, "301", 5, "k").status, Status::kReplayed);
}

TEST_P(StoreTest, CatalogQueriesFilterAndPage) {
  store->add_item({"302", "pants", "Clothes", 78, 2500});
  EXPECT_EQ(store->categories(), (std::vector<std::string>{"Clothes", "Electronics"}));
  auto clothes = store->items({"Clothes", "", "", 50});
  ASSERT_EQ(clothes.size(), 2u);
  auto page = store->items({"Clothes", "", "", 1});
  ASSERT_EQ(page.size(), 1u);
  auto next = store->items({"Clothes", "", page.back().sku, 1});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].sku, "302");
  EXPECT_EQ(store->items({"", "ant", "", 50}).size(), 1u);
  EXPECT_TRUE(store->items({"", "%", "", 50}).empty());  // LIKE wildcards are literal
}

TEST_P(StoreTest, UsersAndSessions) {
  EXPECT_FALSE(store->add_user("alice", shop::Role::kAdmin, "x"));
  store->add_session({"t1", alice.id, "fp", 100}, 10, 32);
  auto found = store->find_session("t1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->session.user_id, alice.id);
  EXPECT_EQ(found->user.name, "alice") << "the session comes with its user";
  EXPECT_EQ(found->session.expires_at, 100);
  EXPECT_TRUE(store->set_password_hash("alice", "new-hash"));
  EXPECT_FALSE(store->find_session("t1")) << "a password change ends sessions";
  EXPECT_EQ(store->find_user("alice")->password_hash, "new-hash");
}

TEST_P(StoreTest, AUserHoldsAtMostItsShareOfSessionsAndExpiredOnesGo) {
  shop::User bob = *store->add_user("bob", shop::Role::kCustomer, "h");
  store->add_session({"bob-expiring", bob.id, "fp", 150}, 10, 3);
  for (int i = 0; i < 5; ++i) {
    store->add_session({"alice-" + std::to_string(i), alice.id, "fp", 200 + i}, 20 + i, 3);
  }
  EXPECT_FALSE(store->find_session("alice-0")) << "the oldest make room";
  EXPECT_FALSE(store->find_session("alice-1"));
  for (const char* kept : {"alice-2", "alice-3", "alice-4"}) {
    EXPECT_TRUE(store->find_session(kept)) << kept;
  }
  EXPECT_TRUE(store->find_session("bob-expiring")) << "another user's share is their own";
  store->add_session({"alice-5", alice.id, "fp", 300}, 150, 3);
  EXPECT_FALSE(store->find_session("bob-expiring")) << "expired, so gone at the next login";
  EXPECT_FALSE(store->find_session("alice-2"));
  EXPECT_TRUE(store->find_session("alice-5"));
}

TEST_P(StoreTest, LoginAttemptsAreCountedPerAccountAndCertificateAndPerCertificate) {
  shop::LoginLimits limits{3, 5, 100};
  auto attempt = [&](const char* name, const char* certificate, std::time_t at) {
    return store->begin_login_attempt(name, certificate, at, limits);
  };
  for (int i = 0; i < 3; ++i) {
    shop::LoginGate gate = attempt("alice", "fp-a", 10 + i);
    ASSERT_TRUE(gate.attempt);
    EXPECT_EQ(gate.earlier_failures, i);
    store->end_login_attempt(*gate.attempt, false);
  }
  shop::LoginGate held = attempt("alice", "fp-a", 20);
  EXPECT_FALSE(held.attempt);
  EXPECT_EQ(held.retry_at, 10 + 100);                    // when the first failure leaves the window
  shop::LoginGate other = attempt("alice", "fp-b", 20);  // another certificate
  ASSERT_TRUE(other.attempt);
  store->end_login_attempt(*other.attempt, true);
  EXPECT_TRUE(attempt("alice", "fp-a", 111).attempt) << "the first failure left the window";

  // One certificate guessing at many accounts is held back too.
  for (const char* name : {"u1", "u2", "u3", "u4", "u5"}) {
    ASSERT_TRUE(attempt(name, "fp-c", 200).attempt) << name;
  }
  EXPECT_FALSE(attempt("u6", "fp-c", 201).attempt);

  // An attempt counts from its start: one not yet ended holds its place.
  shop::LoginGate pending = attempt("bob", "fp-d", 300);
  ASSERT_TRUE(pending.attempt);
  EXPECT_EQ(attempt("bob", "fp-d", 300).earlier_failures, 1);
  store->end_login_attempt(*pending.attempt, true);  // and a success forgets them all
  EXPECT_EQ(attempt("bob", "fp-d", 301).earlier_failures, 0);
  store->clear_login_attempts("bob");
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::ValuesIn(test::kStoreKinds),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tlshop::store
