#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tlshop/api/hello.hpp"
#include "tlshop/api/messages.hpp"
#include "tlshop/api/shop_messages.hpp"
#include "tlshop/request.hpp"
#include "tlshop/result.hpp"

namespace tlshop::client {

// One typed call of the API: the request it sends, the status that means success and
// how to read the reply. The blocking and the asynchronous client share these.
template <typename T>
struct Operation {
  Request request;
  unsigned expected_status = 200;
  std::function<T(std::string_view body)> parse;
  std::function<void(const T&)> on_success;  // e.g. keep the token a login returned
};

Operation<api::Hello> hello_operation();
Operation<api::MessageReceipt> send_message_operation(std::string body, std::string content_type);
Operation<std::vector<api::StoredMessage>> list_messages_operation(std::uint64_t since);
Operation<api::LoginReply> login_operation(const std::string& name, const std::string& password);
Operation<std::monostate> logout_operation();
Operation<std::vector<std::string>> categories_operation();
Operation<api::ItemsPage> items_operation(const ItemsQuery& query);
Operation<api::ItemView> item_operation(const std::string& sku);
// An empty key gets a new random one.
Operation<api::OrderLineView> buy_operation(const std::string& sku, std::int64_t quantity,
                                            std::string idempotency_key);
Operation<api::ReceiptView> receipt_operation();
Operation<api::ReceiptView> close_receipt_operation();
Operation<std::vector<api::ReceiptView>> receipts_operation();

// The error a response with an unexpected status stands for: the API's error body as
// kServerError, anything else as kProtocol.
ClientError unexpected_response(const Response& response);
ClientError unreadable_reply(const std::string& why);

// The operation's value from what the connection returned, or why there is none.
template <typename T>
Result<T> finish(const Operation<T>& operation, Result<Response> response) {
  if (!response) return Result<T>(response.error());
  const Response& reply = response.value();
  if (reply.status != operation.expected_status) return Result<T>(unexpected_response(reply));
  try {
    Result<T> value(operation.parse(reply.body));
    if (operation.on_success) operation.on_success(value.value());
    return value;
  } catch (const ClientError& error) {
    return Result<T>(error);
  } catch (const Error& error) {
    return Result<T>(unreadable_reply(error.what()));
  }
}

}  // namespace tlshop::client
