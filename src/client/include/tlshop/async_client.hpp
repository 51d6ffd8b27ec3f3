#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tlshop/api/hello.hpp"
#include "tlshop/api/messages.hpp"
#include "tlshop/api/shop_messages.hpp"
#include "tlshop/connection_settings.hpp"
#include "tlshop/request.hpp"
#include "tlshop/result.hpp"

namespace tlshop::client {

// libtlshop's asynchronous client: the calls of Client, on the caller's Asio event loop.
// Each async_ call takes a completion token and completes with a Result<T>, which holds
// the value or the ClientError (with its readable message and its std::error_code):
//
//   client.async_hello([](Result<api::Hello> hello) { ... });          // a callback
//   std::future<Result<api::Hello>> f = client.async_hello(asio::use_future);
//   Result<api::Hello> hello = co_await client.async_hello(asio::use_awaitable);
//
// Calls may be started from any thread and before earlier ones complete: they are sent
// one after another over one kept-alive connection, in the order they were started.
// Completion handlers run on their associated executor (by default the client's). A
// call that finds the connection broken is retried once when it is safe to repeat (a
// GET, a purchase). Destroying the client, or close(), completes every call not yet
// answered with kCancelled.
class AsyncClient {
 public:
  using executor_type = boost::asio::any_io_executor;
  template <typename T>
  using Handler = boost::asio::any_completion_handler<void(Result<T>)>;

  // Loads the certificate, key and CA; throws ClientError(kConfiguration).
  AsyncClient(executor_type executor, ConnectionSettings settings);
  ~AsyncClient();
  AsyncClient(AsyncClient&&) noexcept;
  AsyncClient& operator=(AsyncClient&&) noexcept;

  executor_type get_executor() const;
  const ConnectionSettings& settings() const;
  void close();

  // Set by a successful async_login, cleared by async_logout; or set from a saved one.
  void set_token(std::string token);
  std::string token() const;

  template <typename Token>
  auto async_hello(Token&& token) {
    return initiate<api::Hello>(token, [this](auto handler) { start_hello(std::move(handler)); });
  }

  template <typename Token>
  auto async_send_message(std::string body, std::string content_type, Token&& token) {
    return initiate<api::MessageReceipt>(
        token, [this, body = std::move(body),
                content_type = std::move(content_type)](auto handler) mutable {
          start_send_message(std::move(body), std::move(content_type), std::move(handler));
        });
  }

  template <typename Token>
  auto async_list_messages(std::uint64_t since, Token&& token) {
    return initiate<std::vector<api::StoredMessage>>(
        token, [this, since](auto handler) { start_list_messages(since, std::move(handler)); });
  }

  template <typename Token>
  auto async_login(std::string name, std::string password, Token&& token) {
    return initiate<api::LoginReply>(
        token, [this, name = std::move(name), password = std::move(password)](auto handler) {
          start_login(name, password, std::move(handler));
        });
  }

  template <typename Token>
  auto async_logout(Token&& token) {
    return initiate<std::monostate>(token,
                                    [this](auto handler) { start_logout(std::move(handler)); });
  }

  template <typename Token>
  auto async_categories(Token&& token) {
    return initiate<std::vector<std::string>>(
        token, [this](auto handler) { start_categories(std::move(handler)); });
  }

  template <typename Token>
  auto async_items(ItemsQuery query, Token&& token) {
    return initiate<api::ItemsPage>(token, [this, query = std::move(query)](auto handler) {
      start_items(query, std::move(handler));
    });
  }

  template <typename Token>
  auto async_item(std::string sku, Token&& token) {
    return initiate<api::ItemView>(
        token, [this, sku = std::move(sku)](auto handler) { start_item(sku, std::move(handler)); });
  }

  // With an idempotency key of its own; async_buy(sku, quantity, "", token) makes one.
  template <typename Token>
  auto async_buy(std::string sku, std::int64_t quantity, std::string idempotency_key,
                 Token&& token) {
    return initiate<api::OrderLineView>(
        token, [this, sku = std::move(sku), quantity,
                key = std::move(idempotency_key)](auto handler) mutable {
          start_buy(sku, quantity, std::move(key), std::move(handler));
        });
  }

  template <typename Token>
  auto async_receipt(Token&& token) {
    return initiate<api::ReceiptView>(token,
                                      [this](auto handler) { start_receipt(std::move(handler)); });
  }

  template <typename Token>
  auto async_close_receipt(Token&& token) {
    return initiate<api::ReceiptView>(
        token, [this](auto handler) { start_close_receipt(std::move(handler)); });
  }

  template <typename Token>
  auto async_receipts(Token&& token) {
    return initiate<std::vector<api::ReceiptView>>(
        token, [this](auto handler) { start_receipts(std::move(handler)); });
  }

  // Any request; completes with whatever status the server answered.
  template <typename Token>
  auto async_request(Request request, Token&& token) {
    return initiate<Response>(token, [this, request = std::move(request)](auto handler) mutable {
      start_request(std::move(request), std::move(handler));
    });
  }

 private:
  template <typename T, typename Token, typename Start>
  auto initiate(Token& token, Start start) {
    return boost::asio::async_initiate<Token, void(Result<T>)>(
        [start = std::move(start)](auto handler) mutable { start(Handler<T>(std::move(handler))); },
        token);
  }

  void start_hello(Handler<api::Hello> handler);
  void start_send_message(std::string body, std::string content_type,
                          Handler<api::MessageReceipt> handler);
  void start_list_messages(std::uint64_t since, Handler<std::vector<api::StoredMessage>> handler);
  void start_login(const std::string& name, const std::string& password,
                   Handler<api::LoginReply> handler);
  void start_logout(Handler<std::monostate> handler);
  void start_categories(Handler<std::vector<std::string>> handler);
  void start_items(const ItemsQuery& query, Handler<api::ItemsPage> handler);
  void start_item(const std::string& sku, Handler<api::ItemView> handler);
  void start_buy(const std::string& sku, std::int64_t quantity, std::string idempotency_key,
                 Handler<api::OrderLineView> handler);
  void start_receipt(Handler<api::ReceiptView> handler);
  void start_close_receipt(Handler<api::ReceiptView> handler);
  void start_receipts(Handler<std::vector<api::ReceiptView>> handler);
  void start_request(Request request, Handler<Response> handler);

  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlshop::client
