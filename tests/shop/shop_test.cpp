#include "shop/shop.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "base/files.hpp"
#include "shop/seed_catalog.hpp"
#include "shop/shop_error.hpp"
#include "store/sqlite_store.hpp"
#include "support/store_under_test.hpp"
#include "support/temp_dir.hpp"

namespace tlshop::shop {
namespace {

using Kind = ShopError::Kind;

// The kind and code of the ShopError an action throws.
std::pair<Kind, std::string> refusal(const std::function<void()>& action) {
  try {
    action();
  } catch (const ShopError& e) {
    return {e.kind(), e.code()};
  }
  ADD_FAILURE() << "no ShopError";
  return {Kind::kInvalid, "(none)"};
}

// The shop's rules, held with either store underneath.
class ShopTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<test::StoreUnderTest> under_test;
  ShopSettings settings = [] {
    ShopSettings s;
    s.hash_cost = HashCost::kMinimal;
    return s;
  }();
  std::unique_ptr<Shop> shop;
  std::time_t now = 1'800'000'000;

  void SetUp() override {
    std::string why_not;
    under_test = test::StoreUnderTest::make(GetParam(), why_not);
    if (!under_test) GTEST_SKIP() << why_not;
    shop = std::make_unique<Shop>(under_test->store(), settings);
    shop->seed_if_empty(parse_seed_catalog(read_file(TLSHOP_SEED_CATALOG)));
  }
};

TEST_P(ShopTest, SeedsTheOriginalCatalogOnce) {
  EXPECT_EQ(shop->categories(), (std::vector<std::string>{"Clothes", "Cosmetics", "Electronics",
                                                          "House-hold items", "Shoes"}));
  EXPECT_EQ(shop->item("101").name, "phone");
  EXPECT_EQ(shop->item("101").stock, 1);
  EXPECT_EQ(shop->item("404").name, "walking/running-shoes");
  shop->seed_if_empty({{"999", "x", "y", 1, 1}});
  EXPECT_EQ(refusal([&] { shop->item("999"); }),
            std::make_pair(Kind::kNotFound, std::string("unknown_item")));
}

TEST_P(ShopTest, PasswordsFollowThePolicyAndAreStoredHashed) {
  EXPECT_EQ(refusal([&] { shop->add_user("alice", Role::kCustomer, "short"); }).second,
            "weak_password");
  EXPECT_EQ(refusal([&] { shop->add_user("alice", Role::kCustomer, "Password1"); }).second,
            "weak_password");
  EXPECT_EQ(refusal([&] { shop->add_user("a b", Role::kCustomer, "a fine passphrase"); }).second,
            "invalid_name");
  User alice = shop->add_user("alice", Role::kCustomer, "a fine passphrase");
  EXPECT_THAT(alice.password_hash, ::testing::StartsWith("$argon2id$"));
  EXPECT_EQ(refusal([&] { shop->add_user("alice", Role::kCustomer, "another passphrase"); }),
            std::make_pair(Kind::kConflict, std::string("name_taken")));
}

// docs/security.md: names cannot be probed by timing. The cheapest lookup of a name that
// does not exist takes microseconds, an Argon2id verification tens of milliseconds: with
// the real cost, the two must take about as long (the fastest of three of each, compared).
TEST(LoginTiming, AnUnknownNameCostsWhatAWrongPasswordCosts) {
  test::TempDir dir;
  store::SqliteStore store{dir / "shop.db"};
  Shop shop{store, ShopSettings{}};
  ASSERT_EQ(ShopSettings{}.hash_cost, HashCost::kInteractive);
  shop.add_user("alice", Role::kCustomer, "a fine passphrase");
  auto fastest_failed_login = [&](auto name_for_attempt) {
    auto fastest = std::chrono::steady_clock::duration::max();
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto started = std::chrono::steady_clock::now();
      EXPECT_THROW(shop.login(name_for_attempt(attempt), "not the password", "fp", 1'800'000'000),
                   ShopError);
      fastest = std::min(fastest, std::chrono::steady_clock::now() - started);
    }
    return std::chrono::duration<double>(fastest).count();
  };
  fastest_failed_login([](int) { return std::string("warm-up"); });
  double wrong_password = fastest_failed_login([](int) { return std::string("alice"); });
  double unknown_name =
      fastest_failed_login([](int attempt) { return "nobody" + std::to_string(attempt); });
  EXPECT_GT(unknown_name / wrong_password, 0.5) << unknown_name << " s vs " << wrong_password;
  EXPECT_LT(unknown_name / wrong_password, 2.0) << unknown_name << " s vs " << wrong_password;
}

TEST_P(ShopTest, SessionsAreBoundToTheirCertificateAndExpire) {
  shop->add_user("alice", Role::kCustomer, "a fine passphrase");
  auto login = shop->login("alice", "a fine passphrase", "fp-alice", now);
  EXPECT_EQ(login.token.size(), 43u);
  EXPECT_EQ(login.expires_at, now + 8 * 3600);
  EXPECT_EQ(shop->authenticate(login.token, "fp-alice", now + 10).name, "alice");
  EXPECT_EQ(refusal([&] { shop->authenticate(login.token, "fp-mallory", now + 10); }).first,
            Kind::kUnauthenticated);
  EXPECT_EQ(refusal([&] { shop->authenticate(login.token, "fp-alice", login.expires_at); }).first,
            Kind::kUnauthenticated);
  EXPECT_EQ(refusal([&] { shop->authenticate("made-up", "fp-alice", now); }).first,
            Kind::kUnauthenticated);
  shop->logout(login.token);
  EXPECT_EQ(refusal([&] { shop->authenticate(login.token, "fp-alice", now + 10); }).first,
            Kind::kUnauthenticated);
}

TEST_P(ShopTest, LoggingInPastTheShareOfSessionsEndsTheOldest) {
  settings.max_sessions_per_user = 3;
  shop = std::make_unique<Shop>(under_test->store(), settings);
  shop->add_user("alice", Role::kCustomer, "a fine passphrase");
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i) {
    tokens.push_back(shop->login("alice", "a fine passphrase", "fp", now + i).token);
  }
  for (int i = 0; i < 5; ++i) {
    bool works = true;
    try {
      shop->authenticate(tokens[i], "fp", now + 5);
    } catch (const ShopError&) {
      works = false;
    }
    EXPECT_EQ(works, i >= 2) << "login " << i;
  }
}

TEST_P(ShopTest, APasswordResetEndsEverySessionOfTheOldPassword) {
  shop->add_user("alice", Role::kCustomer, "a fine passphrase");
  auto first = shop->login("alice", "a fine passphrase", "fp-alice", now);
  auto second = shop->login("alice", "a fine passphrase", "fp-laptop", now);
  shop->reset_password("alice", "a new passphrase");
  EXPECT_EQ(refusal([&] { shop->authenticate(first.token, "fp-alice", now + 1); }).first,
            Kind::kUnauthenticated);
  EXPECT_EQ(refusal([&] { shop->authenticate(second.token, "fp-laptop", now + 1); }).first,
            Kind::kUnauthenticated);
  EXPECT_EQ(refusal([&] { shop->login("alice", "a fine passphrase", "fp-alice", now + 2); }).first,
            Kind::kUnauthenticated);
  auto again = shop->login("alice", "a new passphrase", "fp-alice", now + 3);
  EXPECT_EQ(shop->authenticate(again.token, "fp-alice", now + 4).name, "alice");
}

TEST_P(ShopTest, RepeatedFailuresHoldOneCertificateBackFromOneAccount) {
  shop->add_user("alice", Role::kCustomer, "a fine passphrase");
  for (int i = 0; i < 5; ++i) {
    try {
      shop->login("alice", "guess", "fp", now + i);
      FAIL() << "a wrong password was taken";
    } catch (const ShopError& e) {
      EXPECT_EQ(e.kind(), Kind::kUnauthenticated);
      EXPECT_EQ(e.hold_back(), std::chrono::seconds(1 << i));  // each answer later
    }
  }
  try {
    shop->login("alice", "a fine passphrase", "fp", now + 10);
    FAIL() << "not locked out";
  } catch (const ShopError& e) {
    EXPECT_EQ(e.kind(), Kind::kTooManyAttempts);
    // Until the first of the five leaves the 15-minute window.
    EXPECT_EQ(e.retry_after(), std::chrono::seconds(15 * 60 - 10));
  }
  // The owner, over another certificate, is not held back by them.
  EXPECT_NO_THROW(shop->login("alice", "a fine passphrase", "fp-owner", now + 11));
  EXPECT_NO_THROW(shop->login("alice", "a fine passphrase", "fp", now + 15 * 60 + 1));
  EXPECT_EQ(refusal([&] { shop->login("nobody", "guess", "fp", now); }).first,
            Kind::kUnauthenticated);
}

TEST_P(ShopTest, PurchasesAreValidated) {
  User alice = shop->add_user("alice", Role::kCustomer, "a fine passphrase");
  for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1001},
                           std::numeric_limits<std::int64_t>::max()}) {
    EXPECT_EQ(refusal([&] { shop->buy(alice, "301", bad, "", now); }).second, "invalid_quantity")
        << bad;
  }
  EXPECT_EQ(refusal([&] { shop->buy(alice, "nope", 1, "", now); }).second, "unknown_item");
  EXPECT_EQ(refusal([&] { shop->buy(alice, "101", 2, "", now); }).second, "insufficient_stock");
  EXPECT_EQ(refusal([&] { shop->buy(alice, "301", 1, std::string(200, 'k'), now); }).second,
            "invalid_idempotency_key");
  EXPECT_EQ(shop->item("301").stock, 62);
  OrderLine line = shop->buy(alice, "101", 1, "k1", now);
  EXPECT_EQ(line.line_total, 100000);
  EXPECT_EQ(shop->buy(alice, "101", 1, "k1", now).id, line.id);
  EXPECT_EQ(shop->close_receipt(alice, now).total, 100000);
  EXPECT_EQ(refusal([&] { shop->close_receipt(alice, now); }).second, "empty_receipt");
  EXPECT_EQ(shop->receipts(alice).size(), 1u);
}

TEST_P(ShopTest, AFreeItemIsBoughtAtNoCost) {
  User alice = shop->add_user("alice", Role::kCustomer, "a fine passphrase");
  User root = shop->add_user("root", Role::kAdmin, "admin passphrase");
  shop->add_item(root, {"602", "sample", "Cosmetics", 1000, 0});
  OrderLine free_line = shop->buy(alice, "602", 1000, "", now);
  EXPECT_EQ(free_line.line_total, 0);
  EXPECT_EQ(shop->item("602").stock, 0);
  shop->buy(alice, "301", 2, "", now);
  Receipt receipt = shop->close_receipt(alice, now);
  EXPECT_EQ(receipt.lines.size(), 2u);
  EXPECT_EQ(receipt.total, 2 * shop->item("301").unit_price);
}

TEST_P(ShopTest, OnlyAdministratorsChangeTheCatalog) {
  User alice = shop->add_user("alice", Role::kCustomer, "a fine passphrase");
  User root = shop->add_user("root", Role::kAdmin, "admin passphrase");
  EXPECT_EQ(refusal([&] {
              shop->add_item(alice, {"601", "kettle", "Kitchen", 5, 1500});
            }).first,
            Kind::kForbidden);
  shop->add_item(root, {"601", "kettle", "Kitchen", 5, 1500});
  shop->set_price(root, "601", 1700);
  shop->restock(root, "601", 10);
  EXPECT_EQ(shop->item("601").unit_price, 1700);
  EXPECT_EQ(shop->item("601").stock, 15);
  EXPECT_EQ(refusal([&] {
              shop->add_item(root, {"601", "kettle", "Kitchen", 5, 1500});
            }).second,
            "sku_taken");
  EXPECT_EQ(refusal([&] {
              shop->add_item(root, {"bad sku", "x", "y", 1, 1});
            }).second,
            "invalid_item");
  EXPECT_EQ(refusal([&] { shop->set_price(root, "601", -5); }).second, "invalid_item");
  EXPECT_EQ(refusal([&] { shop->restock(root, "601", 0); }).second, "invalid_quantity");
  EXPECT_EQ(refusal([&] { shop->restock(root, "nope", 1); }).second, "unknown_item");
}

TEST(SeedCatalog, RefusesBrokenLines) {
  EXPECT_THROW(parse_seed_catalog("sku,category,name,stock,unit_price\n101,A,phone,x,5\n"), Error);
  EXPECT_THROW(parse_seed_catalog("sku,category,name,stock,unit_price\n101,A,phone,1\n"), Error);
  EXPECT_THROW(parse_seed_catalog("sku,category,name,stock,unit_price\n101,A,phone,-1,5\n"), Error);
  EXPECT_EQ(parse_seed_catalog("sku,category,name,stock,unit_price\r\n101,A,phone,1,5\r\n").size(),
            1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, ShopTest, ::testing::ValuesIn(test::kStoreKinds),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tlshop::shop
