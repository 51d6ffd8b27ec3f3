#include "tlshop/client.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>
#include <optional>

#include "api/error_body.hpp"
#include "api/routes.hpp"
#include "client/handshake_words.hpp"
#include "client/tls_settings.hpp"
#include "tls/client_context.hpp"
#include "tls/refusal.hpp"

namespace tlshop::client {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Stream = beast::ssl_stream<beast::tcp_stream>;

// "sslv3 alert certificate expired" -> "certificate expired".
std::string alert_words(unsigned long error) {
  const char* reason = ERR_reason_error_string(error);
  std::string text = reason != nullptr ? reason : "unknown error";
  for (std::string_view prefix : {"sslv3 alert ", "tlsv13 alert ", "tlsv1 alert "}) {
    if (text.starts_with(prefix)) return text.substr(prefix.size());
  }
  return text;
}

bool is_ssl_error(const beast::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category();
}

}  // namespace

class Client::Impl {
 public:
  explicit Impl(ConnectionSettings settings) : settings_(std::move(settings)) {
    try {
      tls_ = tls::ClientTlsContext::load(tls_settings(settings_));
      asio_tls_.emplace((SSL_CTX_up_ref(tls_->native()), tls_->native()));
    } catch (const Error& e) {
      throw ClientError(ClientErrorKind::kConfiguration, e.what());
    }
  }

  const ConnectionSettings& settings() const { return settings_; }

  std::string token;

  Response request(std::string_view method, std::string_view target, std::string_view body,
                   std::string_view content_type, const Headers& headers) {
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, settings_.host);
    request.set(http::field::user_agent, "libtlshop");
    if (!content_type.empty()) request.set(http::field::content_type, content_type);
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    bool idempotent = request.method() == http::verb::get;
    for (const auto& [name, value] : headers) {
      request.set(name, value);
      idempotent |= name == api::routes::kIdempotencyKeyHeader;
    }
    request.body() = std::string(body);
    request.prepare_payload();
    request.keep_alive(true);
    try {
      return exchange(request);
    } catch (const ClientError&) {
      // The connection broke (a kept-alive one the server closed meanwhile, a server
      // restart): try a fresh one, once, if the request is safe to repeat.
      if (!retryable_ || !idempotent) throw;
    }
    return exchange(request);
  }

 private:
  Response exchange(http::request<http::string_body>& request) {
    retryable_ = false;
    if (!stream_) connect();
    beast::error_code ec;
    stream_->next_layer().expires_after(settings_.timeout);
    http::async_write(*stream_, request, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) fail(ec, "sending the request");
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::async_read(*stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) fail(ec, "reading the response");
    auto response = parser.release();
    Response result{response.result_int(), std::string(response[http::field::content_type]),
                    std::move(response.body())};
    if (!response.keep_alive()) disconnect();
    return result;
  }

  // Runs the operations started on this client's context to completion; the stream's
  // expiry bounds them, so this never blocks longer than the timeout.
  void run() {
    context_.restart();
    context_.run();
  }

  void connect() {
    beast::error_code ec;
    tcp::resolver resolver(context_);
    auto endpoints = resolver.resolve(settings_.host, std::to_string(settings_.port), ec);
    if (ec) {
      throw ClientError(ClientErrorKind::kUnreachable,
                        "cannot find server " + settings_.host + ": " + ec.message());
    }
    stream_ = std::make_unique<Stream>(context_, *asio_tls_);
    stream_->next_layer().expires_after(settings_.timeout);
    stream_->next_layer().async_connect(endpoints,
                                        [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    run();
    if (ec == beast::error::timeout) {
      disconnect();
      throw ClientError(ClientErrorKind::kTimeout, "timed out connecting to " + settings_.server());
    }
    if (ec) {
      disconnect();
      throw ClientError(ClientErrorKind::kUnreachable,
                        "cannot reach " + settings_.server() + ": " + ec.message());
    }
    tls::ClientTlsContext::expect_server_name(stream_->native_handle(), settings_.host);
    stream_->next_layer().expires_after(settings_.timeout);
    stream_->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
    run();
    if (ec) handshake_failed(ec);
  }

  [[noreturn]] void handshake_failed(const beast::error_code& ec) {
    long verify = SSL_get_verify_result(stream_->native_handle());
    disconnect();
    std::string server = settings_.server();
    if (ec == beast::error::timeout) {
      throw ClientError(ClientErrorKind::kTimeout, "timed out in the TLS handshake with " + server);
    }
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      throw ClientError(ClientErrorKind::kHostnameMismatch,
                        "the certificate of " + server + " is not for " + settings_.host);
    }
    if (verify == X509_V_ERR_APPLICATION_VERIFICATION) {
      throw ClientError(ClientErrorKind::kPinMismatch,
                        "the public key of " + server + " does not match the pinned key");
    }
    if (verify != X509_V_OK) {
      throw ClientError(ClientErrorKind::kUntrustedServer,
                        "the certificate of " + server +
                            " is not trusted: " + untrusted_server_words(verify, settings_.ca));
    }
    if (is_ssl_error(ec) && is_not_tls(static_cast<unsigned long>(ec.value()))) {
      throw ClientError(ClientErrorKind::kProtocol,
                        "the server at " + server + " does not speak TLS (is it plain HTTP?)");
    }
    if (is_ssl_error(ec) && tls::is_alert_from_peer(static_cast<unsigned long>(ec.value()))) {
      throw ClientError(ClientErrorKind::kRefusedByServer,
                        server + " refused the connection: " +
                            alert_words(static_cast<unsigned long>(ec.value())));
    }
    throw ClientError(ClientErrorKind::kProtocol,
                      "TLS handshake with " + server + " failed: " + ec.message());
  }

  // In TLS 1.3 the server judges the client's certificate after the client's handshake
  // is done, so a refusal arrives as an alert on the first read.
  [[noreturn]] void fail(const beast::error_code& ec, const std::string& doing) {
    disconnect();
    std::string server = settings_.server();
    if (ec == beast::error::timeout) {
      throw ClientError(ClientErrorKind::kTimeout, "timed out " + doing + " (" + server + ")");
    }
    if (is_ssl_error(ec) && tls::is_alert_from_peer(static_cast<unsigned long>(ec.value()))) {
      throw ClientError(ClientErrorKind::kRefusedByServer,
                        server + " refused this client's certificate: " +
                            alert_words(static_cast<unsigned long>(ec.value())));
    }
    retryable_ = true;
    throw ClientError(ClientErrorKind::kProtocol,
                      "connection to " + server + " failed " + doing + ": " + ec.message());
  }

  void disconnect() {
    if (stream_) {
      beast::error_code ignored;
      stream_->next_layer().socket().close(ignored);
      stream_.reset();
    }
    buffer_.clear();
  }

  ConnectionSettings settings_;
  std::shared_ptr<const tls::ClientTlsContext> tls_;
  std::optional<asio::ssl::context> asio_tls_;
  asio::io_context context_{1};
  std::unique_ptr<Stream> stream_;
  beast::flat_buffer buffer_;
  bool retryable_ = false;
};

namespace {

[[noreturn]] void throw_server_error(const Client::Response& response) {
  auto error = api::parse_error_json(response.body);
  if (!error) {
    throw ClientError(
        ClientErrorKind::kProtocol,
        "the server answered HTTP " + std::to_string(response.status) + " without an error body",
        response.status);
  }
  throw ClientError(
      ClientErrorKind::kServerError,
      error->message + " (HTTP " + std::to_string(response.status) + ", " + error->code + ")",
      response.status, error->code);
}

template <typename Parse>
auto parse_or_protocol_error(const Client::Response& response, unsigned expected, Parse parse) {
  if (response.status != expected) throw_server_error(response);
  try {
    return parse(response.body);
  } catch (const Error& e) {
    throw ClientError(ClientErrorKind::kProtocol, e.what());
  }
}

}  // namespace

Client::Client(ConnectionSettings settings) : impl_(std::make_unique<Impl>(std::move(settings))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

const ConnectionSettings& Client::settings() const { return impl_->settings(); }

Client::Response Client::request(std::string_view method, std::string_view target,
                                 std::string_view body, std::string_view content_type,
                                 const Headers& headers) {
  return impl_->request(method, target, body, content_type, headers);
}

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

std::string percent_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 0xf]};
    }
  }
  return out;
}

}  // namespace

api::LoginReply Client::login(const std::string& name, const std::string& password) {
  api::LoginReply reply = parse_or_protocol_error(
      request("POST", api::routes::kSessions, api::to_json(api::LoginRequest{name, password}),
              "application/json"),
      201, api::parse_login_reply);
  impl_->token = reply.token;
  return reply;
}

void Client::set_token(std::string token) { impl_->token = std::move(token); }

const std::string& Client::token() const { return impl_->token; }

void Client::logout() {
  Response response = request("DELETE", api::routes::kCurrentSession);
  if (response.status != 204) throw_server_error(response);
  impl_->token.clear();
}

std::vector<std::string> Client::categories() {
  return parse_or_protocol_error(request("GET", api::routes::kCategories), 200,
                                 api::parse_categories);
}

api::ItemsPage Client::items(const std::string& category, const std::string& text,
                             std::size_t limit, const std::string& cursor) {
  std::string target = std::string(api::routes::kItems) + "?limit=" + std::to_string(limit);
  if (!category.empty()) target += "&category=" + percent_encode(category);
  if (!text.empty()) target += "&q=" + percent_encode(text);
  if (!cursor.empty()) target += "&cursor=" + percent_encode(cursor);
  return parse_or_protocol_error(request("GET", target), 200, api::parse_items_page);
}

api::ItemView Client::item(const std::string& sku) {
  return parse_or_protocol_error(
      request("GET", std::string(api::routes::kItems) + "/" + percent_encode(sku)), 200,
      api::parse_item);
}

api::OrderLineView Client::buy(const std::string& sku, std::int64_t quantity,
                               std::string idempotency_key) {
  if (idempotency_key.empty()) idempotency_key = random_key();
  return parse_or_protocol_error(
      request("POST", api::routes::kOrders, api::to_json(api::OrderRequest{sku, quantity}),
              "application/json",
              {{std::string(api::routes::kIdempotencyKeyHeader), idempotency_key}}),
      201, api::parse_order_line);
}

api::ReceiptView Client::receipt() {
  return parse_or_protocol_error(request("GET", api::routes::kReceipt), 200, api::parse_receipt);
}

api::ReceiptView Client::close_receipt() {
  return parse_or_protocol_error(request("POST", api::routes::kReceiptClose), 200,
                                 api::parse_receipt);
}

std::vector<api::ReceiptView> Client::receipts() {
  return parse_or_protocol_error(request("GET", api::routes::kReceipts), 200, api::parse_receipts);
}

api::Hello Client::hello() {
  return parse_or_protocol_error(request("GET", api::routes::kHello), 200, api::parse_hello);
}

api::MessageReceipt Client::send_message(const std::string& body, const std::string& content_type) {
  return parse_or_protocol_error(request("POST", api::routes::kMessages, body, content_type), 201,
                                 api::parse_message_receipt);
}

std::vector<api::StoredMessage> Client::list_messages(std::uint64_t since) {
  std::string target = std::string(api::routes::kMessages) + "?since=" + std::to_string(since);
  return parse_or_protocol_error(request("GET", target), 200, api::parse_message_list);
}

}  // namespace tlshop::client
