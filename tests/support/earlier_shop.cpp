#include "support/earlier_shop.hpp"

#include <gtest/gtest.h>

namespace tlshop::test {

std::string earlier_shop_sql(bool postgresql, std::time_t now) {
  auto at = [&](std::time_t offset) { return std::to_string(now + offset); };
  auto session = [&](const std::string& token, std::time_t expires_in) {
    return "INSERT INTO sessions (token_hash, user_id, certificate_fingerprint, expires_at) "
           "SELECT '" +
           token + "', id, 'fp', " + at(expires_in) + " FROM users;";
  };
  // The fingerprint of the keyed purchase (PurchaseRequest::fingerprint): "101\n2".
  std::string fingerprint = postgresql ? "'101' || chr(10) || '2'" : "'101' || char(10) || '2'";
  return "INSERT INTO users (name, role, password_hash) VALUES ('alice', 'customer', 'h');"
         "INSERT INTO items (sku, name, category, stock, unit_price) "
         "  VALUES ('101', 'phone', 'Electronics', 3, 1000);"
         "INSERT INTO receipts (user_id, opened_at) SELECT id, " +
         at(-100) + " FROM users;" + (postgresql ? "UPDATE receipts SET total = 2000;" : "") +
         "INSERT INTO order_lines (receipt_id, sku, name, quantity, unit_price, line_total, "
         "  created_at) SELECT id, '101', 'phone', 2, 1000, 2000, " +
         at(-100) +
         " FROM receipts;"
         "INSERT INTO idempotency_keys (user_id, key, request, order_line_id) "
         "  SELECT u.id, 'k', " +
         fingerprint + ", l.id FROM users u, order_lines l;" + session("expires-last", 200) +
         session("expires-first", 100) + session("expired", -10);
}

void expect_earlier_shop_kept(shop::Store& store, std::time_t now) {
  auto alice = store.find_user("alice");
  ASSERT_TRUE(alice);
  shop::Receipt receipt = store.open_receipt(alice->id);
  ASSERT_EQ(receipt.lines.size(), 1u);
  EXPECT_EQ(receipt.total, 2000);
  shop::PurchaseOutcome again = store.purchase({alice->id, "101", 2, "k", now});
  EXPECT_EQ(again.status, shop::PurchaseOutcome::Status::kReplayed);
  EXPECT_EQ(again.line.id, receipt.lines[0].id);
  EXPECT_EQ(store.item("101")->stock, 3);
  store.add_session({"new", alice->id, "fp", now + 300}, now, 2);
  EXPECT_FALSE(store.find_session("expired"));
  EXPECT_FALSE(store.find_session("expires-first"));
  EXPECT_TRUE(store.find_session("expires-last"));
  EXPECT_TRUE(store.find_session("new"));
}

}  // namespace tlshop::test
