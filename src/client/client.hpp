#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/hello.hpp"
#include "api/messages.hpp"
#include "client/client_error.hpp"
#include "client/connection_settings.hpp"

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
// says what went wrong. A Client is not thread-safe: use one per thread.
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

  struct Response {
    unsigned status = 0;
    std::string content_type;
    std::string body;
  };
  // Any request; returns whatever status the server answered.
  Response request(std::string_view method, std::string_view target, std::string_view body = {},
                   std::string_view content_type = {});

  const ConnectionSettings& settings() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlshop::client
