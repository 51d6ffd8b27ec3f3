#include "tlshop/api/shop_messages.hpp"

#include <boost/json.hpp>

#include "api/json_fields.hpp"

namespace tlshop::api {
namespace json = boost::json;
namespace {

json::object item_object(const ItemView& item) {
  return {{"sku", item.sku},
          {"name", item.name},
          {"category", item.category},
          {"stock", item.stock},
          {"unit_price", item.unit_price},
          {"currency", item.currency}};
}

ItemView read_item(const JsonReader& reader, const json::object& object) {
  return {reader.string_at(object, "sku"),
          reader.string_at(object, "name"),
          reader.string_at(object, "category"),
          reader.int_at(object, "stock"),
          reader.int_at(object, "unit_price"),
          reader.has(object, "currency") ? reader.string_at(object, "currency") : ""};
}

json::object line_object(const OrderLineView& line) {
  return {{"id", line.id},
          {"sku", line.sku},
          {"name", line.name},
          {"quantity", line.quantity},
          {"unit_price", line.unit_price},
          {"line_total", line.line_total}};
}

OrderLineView read_line(const JsonReader& reader, const json::object& object) {
  return {reader.int_at(object, "id"),         reader.string_at(object, "sku"),
          reader.string_at(object, "name"),    reader.int_at(object, "quantity"),
          reader.int_at(object, "unit_price"), reader.int_at(object, "line_total")};
}

json::object receipt_object(const ReceiptView& receipt) {
  json::array lines;
  for (const OrderLineView& line : receipt.lines) lines.push_back(line_object(line));
  return {{"id", receipt.id},
          {"lines", std::move(lines)},
          {"total", receipt.total},
          {"currency", receipt.currency},
          {"opened_at", receipt.opened_at},
          {"closed_at",
           receipt.closed_at.empty() ? json::value(nullptr) : json::value(receipt.closed_at)}};
}

ReceiptView read_receipt(const JsonReader& reader, const json::object& object) {
  ReceiptView receipt;
  receipt.id = reader.int_at(object, "id");
  for (const json::value& line : reader.array_at(object, "lines")) {
    if (line.is_object()) receipt.lines.push_back(read_line(reader, line.as_object()));
  }
  receipt.total = reader.int_at(object, "total");
  receipt.currency = reader.string_at(object, "currency");
  receipt.opened_at = reader.string_at(object, "opened_at");
  if (const json::value* closed = object.if_contains("closed_at"); closed && closed->is_string()) {
    receipt.closed_at = std::string(closed->as_string());
  }
  return receipt;
}

}  // namespace

std::string to_json(const LoginRequest& request) {
  return json::serialize(json::object{{"name", request.name}, {"password", request.password}});
}

LoginRequest parse_login_request(std::string_view text) {
  JsonReader reader(text, "login request");
  return {reader.string_at(reader.root(), "name"), reader.string_at(reader.root(), "password")};
}

std::string to_json(const LoginReply& reply) {
  return json::serialize(json::object{{"token", reply.token}, {"expires_at", reply.expires_at}});
}

LoginReply parse_login_reply(std::string_view text) {
  JsonReader reader(text, "login reply");
  return {reader.string_at(reader.root(), "token"), reader.string_at(reader.root(), "expires_at")};
}

std::string to_json(const ItemView& item) { return json::serialize(item_object(item)); }

ItemView parse_item(std::string_view text) {
  JsonReader reader(text, "item");
  return read_item(reader, reader.root());
}

std::string to_json(const ItemsPage& page) {
  json::array items;
  for (const ItemView& item : page.items) items.push_back(item_object(item));
  return json::serialize(
      json::object{{"items", std::move(items)},
                   {"next_cursor", page.next_cursor.empty() ? json::value(nullptr)
                                                            : json::value(page.next_cursor)}});
}

ItemsPage parse_items_page(std::string_view text) {
  JsonReader reader(text, "item list");
  ItemsPage page;
  for (const json::value& item : reader.array_at(reader.root(), "items")) {
    if (item.is_object()) page.items.push_back(read_item(reader, item.as_object()));
  }
  if (const json::value* cursor = reader.root().if_contains("next_cursor");
      cursor && cursor->is_string()) {
    page.next_cursor = std::string(cursor->as_string());
  }
  return page;
}

std::string categories_json(const std::vector<std::string>& categories) {
  return json::serialize(json::object{{"categories", json::value_from(categories)}});
}

std::vector<std::string> parse_categories(std::string_view text) {
  JsonReader reader(text, "category list");
  std::vector<std::string> categories;
  for (const json::value& name : reader.array_at(reader.root(), "categories")) {
    if (name.is_string()) categories.emplace_back(name.as_string());
  }
  return categories;
}

std::string to_json(const OrderRequest& request) {
  return json::serialize(json::object{{"sku", request.sku}, {"quantity", request.quantity}});
}

OrderRequest parse_order_request(std::string_view text) {
  JsonReader reader(text, "order");
  return {reader.string_at(reader.root(), "sku"), reader.int_at(reader.root(), "quantity")};
}

std::string to_json(const OrderLineView& line) { return json::serialize(line_object(line)); }

OrderLineView parse_order_line(std::string_view text) {
  JsonReader reader(text, "order line");
  return read_line(reader, reader.root());
}

std::string to_json(const ReceiptView& receipt) { return json::serialize(receipt_object(receipt)); }

ReceiptView parse_receipt(std::string_view text) {
  JsonReader reader(text, "receipt");
  return read_receipt(reader, reader.root());
}

std::string receipts_json(const std::vector<ReceiptView>& receipts) {
  json::array list;
  for (const ReceiptView& receipt : receipts) list.push_back(receipt_object(receipt));
  return json::serialize(json::object{{"receipts", std::move(list)}});
}

std::vector<ReceiptView> parse_receipts(std::string_view text) {
  JsonReader reader(text, "receipt list");
  std::vector<ReceiptView> receipts;
  for (const json::value& receipt : reader.array_at(reader.root(), "receipts")) {
    if (receipt.is_object()) receipts.push_back(read_receipt(reader, receipt.as_object()));
  }
  return receipts;
}

std::string new_password_json(const std::string& password) {
  return json::serialize(json::object{{"password", password}});
}

std::string parse_new_password(std::string_view text) {
  JsonReader reader(text, "password change");
  return reader.string_at(reader.root(), "password");
}

std::string to_json(const NewUserRequest& request) {
  return json::serialize(
      json::object{{"name", request.name}, {"role", request.role}, {"password", request.password}});
}

NewUserRequest parse_new_user_request(std::string_view text) {
  JsonReader reader(text, "new user");
  const json::object& root = reader.root();
  return {reader.string_at(root, "name"),
          reader.has(root, "role") ? reader.string_at(root, "role") : "customer",
          reader.string_at(root, "password")};
}

std::string to_json(const ItemChangeRequest& request) {
  json::object object;
  if (request.unit_price) object["unit_price"] = *request.unit_price;
  if (request.add_stock) object["add_stock"] = *request.add_stock;
  return json::serialize(object);
}

ItemChangeRequest parse_item_change_request(std::string_view text) {
  JsonReader reader(text, "item change");
  const json::object& root = reader.root();
  ItemChangeRequest request;
  if (reader.has(root, "unit_price")) request.unit_price = reader.int_at(root, "unit_price");
  if (reader.has(root, "add_stock")) request.add_stock = reader.int_at(root, "add_stock");
  return request;
}

}  // namespace tlshop::api
