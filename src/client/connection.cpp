#include "client/connection.hpp"

#include <openssl/err.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <deque>
#include <mutex>
#include <optional>

#include "api/routes.hpp"
#include "client/channel.hpp"
#include "client/datagram_channel.hpp"
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
using HttpRequest = http::request<http::string_body>;

bool is_ssl_error(const beast::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category();
}

bool is_alert_from_server(const beast::error_code& ec) {
  return is_ssl_error(ec) && tls::is_alert_from_peer(static_cast<unsigned long>(ec.value()));
}

// A request may be sent again on a new connection when repeating it cannot do anything
// twice: a GET, or a purchase carrying an idempotency key.
bool is_repeatable(const Request& request) {
  if (request.method == "GET") return true;
  for (const auto& header : request.headers) {
    if (header.first == api::routes::kIdempotencyKeyHeader) return true;
  }
  return false;
}

}  // namespace

// HTTP/1.1 over TLS on a kept-alive TCP connection.
class StreamChannel : public Channel {
 public:
  StreamChannel(const asio::any_io_executor& executor, ConnectionSettings settings)
      : Channel(executor, std::move(settings)) {
    try {
      tls_ = tls::ClientTlsContext::load(tls_settings(this->settings()));
      asio_tls_.emplace((SSL_CTX_up_ref(tls_->native()), tls_->native()));
    } catch (const Error& e) {
      throw ClientError(ClientErrorKind::kConfiguration, e.what());
    }
  }

 protected:
  void abort() override {
    // Closing the socket ends the operation in flight; the stream itself goes when
    // that operation has returned.
    beast::error_code ignored;
    if (stream_) stream_->next_layer().socket().close(ignored);
  }

  asio::awaitable<Response> send(const Request& request) override {
    HttpRequest message{http::string_to_verb(request.method), request.target, 11};
    message.set(http::field::host, settings().host);
    message.set(http::field::user_agent, "libtlshop");
    if (!request.content_type.empty()) message.set(http::field::content_type, request.content_type);
    if (std::string token = this->token(); !token.empty()) {
      message.set(http::field::authorization, "Bearer " + token);
    }
    for (const auto& [name, value] : request.headers) message.set(name, value);
    message.body() = request.body;
    message.prepare_payload();
    message.keep_alive(true);
    try {
      co_return co_await exchange(message);
    } catch (const ClientError&) {
      // The connection broke (a kept-alive one the server closed meanwhile, a server
      // restart): try a fresh one, once, if the request is safe to repeat.
      if (!retryable_ || !is_repeatable(request) || closed()) throw;
    }
    count_retry();
    co_return co_await exchange(message);
  }

  asio::awaitable<Response> exchange(HttpRequest& message) {
    retryable_ = false;
    if (!stream_) co_await connect();
    beast::error_code ec;
    auto on_error = asio::redirect_error(asio::use_awaitable, ec);
    stream_->next_layer().expires_after(settings().timeout);
    co_await http::async_write(*stream_, message, on_error);
    if (ec) fail(ec, "sending the request");
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    co_await http::async_read(*stream_, buffer_, parser, on_error);
    if (ec) fail(ec, "reading the response");
    auto response = parser.release();
    Response result{response.result_int(), std::string(response[http::field::content_type]),
                    std::move(response.body())};
    if (!response.keep_alive()) disconnect();
    co_return result;
  }

  asio::awaitable<void> connect() {
    beast::error_code ec;
    auto on_error = asio::redirect_error(asio::use_awaitable, ec);
    tcp::resolver resolver(strand());
    // Named, not a temporary: GCC 12 mishandles temporaries in a co_await expression.
    std::string port = std::to_string(settings().port);
    auto endpoints = co_await resolver.async_resolve(settings().host, port, on_error);
    if (ec) {
      throw ClientError(ClientErrorKind::kUnreachable,
                        "cannot find server " + settings().host + ": " + ec.message());
    }
    if (closed()) throw cancelled();
    stream_ = std::make_unique<Stream>(strand(), *asio_tls_);
    stream_->next_layer().expires_after(settings().timeout);
    co_await stream_->next_layer().async_connect(endpoints, on_error);
    if (ec) connect_failed(ec);
    tls::ClientTlsContext::expect_server_name(stream_->native_handle(), settings().host);
    stream_->next_layer().expires_after(settings().timeout);
    co_await stream_->async_handshake(asio::ssl::stream_base::client, on_error);
    if (ec) handshake_failed(ec);
  }

  [[noreturn]] void connect_failed(const beast::error_code& ec) {
    disconnect();
    if (ec == beast::error::timeout) {
      throw ClientError(ClientErrorKind::kTimeout,
                        "timed out connecting to " + settings().server());
    }
    throw ClientError(ClientErrorKind::kUnreachable,
                      "cannot reach " + settings().server() + ": " + ec.message());
  }

  [[noreturn]] void handshake_failed(const beast::error_code& ec) {
    long verify = SSL_get_verify_result(stream_->native_handle());
    disconnect();
    if (ec == beast::error::timeout) {
      throw ClientError(ClientErrorKind::kTimeout,
                        "timed out in the TLS handshake with " + settings().server());
    }
    throw handshake_error(settings(), verify,
                          is_ssl_error(ec) ? static_cast<unsigned long>(ec.value()) : 0,
                          ec.message());
  }

  // In TLS 1.3 the server judges the client's certificate after the client's handshake
  // is done, so a refusal arrives as an alert on the first read.
  [[noreturn]] void fail(const beast::error_code& ec, const std::string& doing) {
    disconnect();
    std::string server = settings().server();
    if (ec == beast::error::timeout) {
      throw ClientError(ClientErrorKind::kTimeout, "timed out " + doing + " (" + server + ")");
    }
    if (is_alert_from_server(ec)) {
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

  std::shared_ptr<const tls::ClientTlsContext> tls_;
  std::optional<asio::ssl::context> asio_tls_;
  std::unique_ptr<Stream> stream_;
  beast::flat_buffer buffer_;
  bool retryable_ = false;
};

Connection::Connection(const asio::any_io_executor& executor, ConnectionSettings settings) {
  if (settings.transport == Transport::kUdp) {
    channel_ = make_datagram_channel(executor, std::move(settings));
  } else {
    channel_ = std::make_shared<StreamChannel>(executor, std::move(settings));
  }
}

void Connection::async_request(Request request, Done done) const {
  channel_->enqueue(std::move(request), std::move(done));
}

void Connection::close() const { channel_->close(); }

const asio::any_io_executor& Connection::executor() const { return channel_->executor(); }

const ConnectionSettings& Connection::settings() const { return channel_->settings(); }

void Connection::set_token(std::string token) const { channel_->set_token(std::move(token)); }

std::string Connection::token() const { return channel_->token(); }

std::uint64_t Connection::retries() const { return channel_->retries(); }

}  // namespace tlshop::client
