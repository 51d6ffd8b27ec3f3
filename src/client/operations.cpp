#include "client/operations.hpp"

#include <openssl/rand.h>

#include "api/error_body.hpp"
#include "api/routes.hpp"

namespace tlshop::client {
namespace {

std::string random_key() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error("no randomness for an idempotency key");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  for (unsigned char byte : bytes) {
    key.push_back(kHex[byte >> 4]);
    key.push_back(kHex[byte & 0xf]);
  }
  return key;
}

template <typename T>
Operation<T> get(std::string target, T (*parse)(std::string_view)) {
  return {Request{"GET", std::move(target), {}, {}, {}}, 200, parse, {}};
}

template <typename T>
Operation<T> post(std::string_view target, std::string json, T (*parse)(std::string_view)) {
  return {Request{"POST", std::string(target), std::move(json), "application/json", {}},
          201,
          parse,
          {}};
}

}  // namespace

Operation<api::Hello> hello_operation() {
  return get(std::string(api::routes::kHello), api::parse_hello);
}

Operation<api::MessageReceipt> send_message_operation(std::string body, std::string content_type) {
  auto operation = post(api::routes::kMessages, std::move(body), api::parse_message_receipt);
  operation.request.content_type = std::move(content_type);
  return operation;
}

Operation<std::vector<api::StoredMessage>> list_messages_operation(std::uint64_t since) {
  return get(std::string(api::routes::kMessages) + "?since=" + std::to_string(since),
             api::parse_message_list);
}

Operation<api::LoginReply> login_operation(const std::string& name, const std::string& password) {
  return post(api::routes::kSessions, api::to_json(api::LoginRequest{name, password}),
              api::parse_login_reply);
}

Operation<std::monostate> logout_operation() {
  return {Request{"DELETE", std::string(api::routes::kCurrentSession), {}, {}, {}},
          204,
          [](std::string_view) { return std::monostate{}; },
          {}};
}

Operation<std::vector<std::string>> categories_operation() {
  return get(std::string(api::routes::kCategories), api::parse_categories);
}

Operation<api::ItemsPage> items_operation(const ItemsQuery& query) {
  std::string target = std::string(api::routes::kItems) + "?limit=" + std::to_string(query.limit);
  if (!query.category.empty()) target += "&category=" + api::routes::escaped(query.category);
  if (!query.text.empty()) target += "&q=" + api::routes::escaped(query.text);
  if (!query.cursor.empty()) target += "&cursor=" + api::routes::escaped(query.cursor);
  return get(std::move(target), api::parse_items_page);
}

Operation<api::ItemView> item_operation(const std::string& sku) {
  return get(std::string(api::routes::kItems) + "/" + api::routes::escaped(sku), api::parse_item);
}

Operation<api::OrderLineView> buy_operation(const std::string& sku, std::int64_t quantity,
                                            std::string idempotency_key) {
  if (idempotency_key.empty()) idempotency_key = random_key();
  auto operation = post(api::routes::kOrders, api::to_json(api::OrderRequest{sku, quantity}),
                        api::parse_order_line);
  operation.request.headers = {
      {std::string(api::routes::kIdempotencyKeyHeader), std::move(idempotency_key)}};
  return operation;
}

Operation<api::ReceiptView> receipt_operation() {
  return get(std::string(api::routes::kReceipt), api::parse_receipt);
}

Operation<api::ReceiptView> close_receipt_operation() {
  auto operation = post(api::routes::kReceiptClose, {}, api::parse_receipt);
  operation.request.content_type.clear();
  operation.expected_status = 200;
  return operation;
}

Operation<std::vector<api::ReceiptView>> receipts_operation() {
  return get(std::string(api::routes::kReceipts), api::parse_receipts);
}

ClientError unexpected_response(const Response& response) {
  auto error = api::parse_error_json(response.body);
  std::string status = "HTTP " + std::to_string(response.status);
  if (!error) {
    return ClientError(ClientErrorKind::kProtocol,
                       "the server answered " + status + " without an error body", response.status);
  }
  return ClientError(ClientErrorKind::kServerError,
                     error->message + " (" + status + ", " + error->code + ")", response.status,
                     error->code);
}

ClientError unreadable_reply(const std::string& why) {
  return ClientError(ClientErrorKind::kProtocol, why);
}

}  // namespace tlshop::client
