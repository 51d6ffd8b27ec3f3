#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tlshop/api/hello.hpp"
#include "tlshop/api/messages.hpp"
#include "tlshop/api/shop_messages.hpp"
#include "tlshop/client_error.hpp"
#include "tlshop/connection_settings.hpp"
#include "tlshop/request.hpp"

namespace tlshop::client {

// libtlshop: a connection to a tlshop server over mutually authenticated TLS.
//
//   tlshop::client::ConnectionSettings settings;
//   settings.set_server("shop.example:5555");
//   settings.ca = "root.crt";
//   settings.certificate = "alice.crt";
//   settings.key = "alice.key";
//   tlshop::client::Client client(settings);
//   std::cout << client.hello().greeting << "\n";
//
// The client verifies the server (chain to the CA, serverAuth, the host name or IP
// address, pins) and presents its own certificate. It keeps one connection open across
// calls and reconnects when needed. Every failure throws ClientError, whose kind()
// says what went wrong. A Client is not thread-safe: use one per thread, or the
// AsyncClient (tlshop/async_client.hpp) on an event loop.
class Client {
 public:
  // Loads the certificate, key and CA files; throws ClientError(kConfiguration).
  explicit Client(ConnectionSettings settings);
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;

  // GET /v1/hello: the server's greeting and what it saw of this client.
  api::Hello hello();
  // POST /v1/messages: stores a text message; returns its id and the server's time.
  api::MessageReceipt send_message(const std::string& body,
                                   const std::string& content_type = "text/plain");
  // GET /v1/messages?since=ID: this client's own messages with a higher id.
  std::vector<api::StoredMessage> list_messages(std::uint64_t since = 0);

  // The shop. login() keeps the session token for the calls that need one; a token
  // saved earlier can be set with set_token(). Tokens only work over the client
  // certificate they were issued over.
  api::LoginReply login(const std::string& name, const std::string& password);
  void set_token(std::string token);
  std::string token() const;
  void logout();
  std::vector<std::string> categories();
  // One page of items; pass the page's next_cursor to get the next.
  api::ItemsPage items(const std::string& category = "", const std::string& text = "",
                       std::size_t limit = 50, const std::string& cursor = "");
  api::ItemsPage items(const ItemsQuery& query);
  api::ItemView item(const std::string& sku);
  // Buys with an idempotency key (a new random one if empty): a purchase whose reply
  // was lost is retried once with the same key, so it is never made twice.
  api::OrderLineView buy(const std::string& sku, std::int64_t quantity,
                         std::string idempotency_key = "");
  api::ReceiptView receipt();
  api::ReceiptView close_receipt();
  std::vector<api::ReceiptView> receipts();

  using Response = client::Response;
  using Headers = client::Headers;
  // Any request; returns whatever status the server answered.
  Response request(std::string_view method, std::string_view target, std::string_view body = {},
                   std::string_view content_type = {}, const Headers& headers = {});
  Response request(Request request);

  const ConnectionSettings& settings() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlshop::client
