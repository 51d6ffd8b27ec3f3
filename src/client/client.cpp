#include "client/client.hpp"

#include <openssl/err.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>

#include "api/error_body.hpp"
#include "api/routes.hpp"
#include "tls/client_context.hpp"

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

bool is_alert_from_peer(unsigned long error) {
  std::string text =
      ERR_reason_error_string(error) != nullptr ? ERR_reason_error_string(error) : "";
  return text.find(" alert ") != std::string::npos;
}

bool is_ssl_error(const beast::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category();
}

}  // namespace

class Client::Impl {
 public:
  explicit Impl(ConnectionSettings settings) : settings_(std::move(settings)) {
    try {
      tls_ = tls::ClientTlsContext::load({settings_.ca, settings_.certificate, settings_.key,
                                          settings_.server_pins, settings_.allow_tls12});
      asio_tls_.emplace((SSL_CTX_up_ref(tls_->native()), tls_->native()));
    } catch (const Error& e) {
      throw ClientError(ClientErrorKind::kConfiguration, e.what());
    }
  }

  const ConnectionSettings& settings() const { return settings_; }

  Response request(std::string_view method, std::string_view target, std::string_view body,
                   std::string_view content_type) {
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, settings_.host);
    request.set(http::field::user_agent, "libtlshop");
    if (!content_type.empty()) request.set(http::field::content_type, content_type);
    request.body() = std::string(body);
    request.prepare_payload();
    request.keep_alive(true);
    bool reused = stream_ != nullptr;
    try {
      return exchange(request);
    } catch (const ClientError& e) {
      // A kept-alive connection the server has closed meanwhile: try a fresh one, once,
      // for requests that are safe to repeat.
      if (!reused || !retryable_ || request.method() != http::verb::get) throw;
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
                            " is not trusted: " + X509_verify_cert_error_string(verify));
    }
    if (is_ssl_error(ec) && is_alert_from_peer(static_cast<unsigned long>(ec.value()))) {
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
    if (is_ssl_error(ec) && is_alert_from_peer(static_cast<unsigned long>(ec.value()))) {
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
                                 std::string_view body, std::string_view content_type) {
  return impl_->request(method, target, body, content_type);
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
