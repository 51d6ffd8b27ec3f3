#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlshop::api {

// The shop's JSON shapes. Money is an integer in the smallest currency unit.

struct LoginRequest {
  std::string name;
  std::string password;
};
struct LoginReply {
  std::string token;
  std::string expires_at;
};

struct ItemView {
  std::string sku;
  std::string name;
  std::string category;
  std::int64_t stock = 0;
  std::int64_t unit_price = 0;
  std::string currency;
};
struct ItemsPage {
  std::vector<ItemView> items;
  std::string next_cursor;  // "" when this is the last page
};

struct OrderRequest {
  std::string sku;
  std::int64_t quantity = 0;
};
struct OrderLineView {
  std::int64_t id = 0;
  std::string sku;
  std::string name;
  std::int64_t quantity = 0;
  std::int64_t unit_price = 0;
  std::int64_t line_total = 0;
};
struct ReceiptView {
  std::int64_t id = 0;  // 0: nothing bought since the last receipt was closed
  std::vector<OrderLineView> lines;
  std::int64_t total = 0;
  std::string currency;
  std::string opened_at;
  std::string closed_at;  // "" while open
};

struct NewUserRequest {
  std::string name;
  std::string role;
  std::string password;
};
struct ItemChangeRequest {
  std::optional<std::int64_t> unit_price;
  std::optional<std::int64_t> add_stock;
};

std::string to_json(const LoginRequest& request);
LoginRequest parse_login_request(std::string_view text);
std::string to_json(const LoginReply& reply);
LoginReply parse_login_reply(std::string_view text);

std::string to_json(const ItemView& item);
ItemView parse_item(std::string_view text);
std::string to_json(const ItemsPage& page);
ItemsPage parse_items_page(std::string_view text);
std::string categories_json(const std::vector<std::string>& categories);
std::vector<std::string> parse_categories(std::string_view text);

std::string to_json(const OrderRequest& request);
// Throws tlshop::Error naming the problem: a quantity that is missing, fractional, a
// string, negative or beyond 64 bits is refused here, before the shop sees it.
OrderRequest parse_order_request(std::string_view text);
std::string to_json(const OrderLineView& line);
OrderLineView parse_order_line(std::string_view text);
std::string to_json(const ReceiptView& receipt);
ReceiptView parse_receipt(std::string_view text);
std::string receipts_json(const std::vector<ReceiptView>& receipts);
std::vector<ReceiptView> parse_receipts(std::string_view text);

// PUT /v1/admin/users/{name}/password: {"password": "..."}.
std::string new_password_json(const std::string& password);
std::string parse_new_password(std::string_view text);

std::string to_json(const NewUserRequest& request);
NewUserRequest parse_new_user_request(std::string_view text);
std::string to_json(const ItemChangeRequest& request);
ItemChangeRequest parse_item_change_request(std::string_view text);

}  // namespace tlshop::api
