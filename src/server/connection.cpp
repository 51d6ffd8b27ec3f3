#include "server/connection.hpp"

#include <openssl/err.h>

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>

#include "net/tls_socket.hpp"
#include "pki/certificate.hpp"
#include "pki/x509_fields.hpp"
#include "server/connection_table.hpp"
#include "server/handshake_refusal.hpp"
#include "server/listen_address.hpp"
#include "server/server_state.hpp"
#include "tls/leaf_checks.hpp"
#include "tls/refusal.hpp"

namespace tlshop::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kReadChunk = 4096;
// How long sending the close_notify may take before the socket is closed anyway.
constexpr std::chrono::milliseconds kCloseTimeout{500};
// After refusing a request it did not read in full, the server reads and drops what the
// client still sends, at most this long and this much, before closing: closing with
// unread data resets the connection, and the client may lose the reply it has not read.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kLingerBytes = 4 << 20;
constexpr std::size_t kLoggedTargetLength = 200;

auto capture(beast::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// The response owed for a request that could not be read, or nullopt if the peer is gone
// or the connection timed out (Beast has closed the socket then).
std::optional<Response> response_for_read_error(const beast::error_code& ec) {
  if (ec == http::error::header_limit) {
    return error_response(http::status::request_header_fields_too_large, "header_too_large",
                          "the request line and headers are too large");
  }
  if (ec == http::error::body_limit) {
    return error_response(http::status::payload_too_large, "payload_too_large",
                          "the request body is larger than this server accepts");
  }
  if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return error_response(http::status::bad_request, "bad_request",
                          "malformed HTTP request: " + ec.message());
  }
  return std::nullopt;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, const tcp::endpoint& peer, ServerState& state)
      : state_(state),
        source_(peer.address()),
        remote_(ListenAddress{peer.address().to_string(), peer.port()}.to_string()),
        tls_(state.tls.current()),
        stream_(std::move(socket), tls_->native()) {}
  ~Connection() { state_.connections.close(this); }

  asio::awaitable<void> run() {
    if (!state_.connections.open(this, source_, notifier())) co_return;
    try {
      bool accepted = co_await handshake();
      if (accepted && !state_.connections.authenticated(this, client_key())) {
        co_await close();  // over a limit, and counted in the metrics
        accepted = false;
      }
      if (accepted) {
        not_after_ = pki::to_time_t(X509_get0_notAfter(peer_certificate()));
        beast::flat_buffer buffer;
        beast::error_code ec;
        // One co_await per statement: GCC 12 miscompiles co_await inside && conditions.
        while (!closing() || buffer.size() > 0) {
          if (buffer.size() == 0 && !stream_.has_buffered_input()) {
            // An idle connection waits here, in this frame, so that nothing else of
            // it stays allocated while it waits.
            stream_.expires_after(idle_time_left());
            enter(ConnectionPhase::kIdle);
            co_await stream_.async_wait_readable(capture(ec));
            if (ec) {
              if (ec == beast::error::timeout) certificate_expired();  // logs if it was that
              break;
            }
          }
          if (certificate_expired()) break;
          enter(ConnectionPhase::kActive);
          if (buffer.size() == 0) {
            bool received = co_await receive(buffer);
            if (!received) break;
          }
          bool keep_alive = co_await serve_one(buffer);
          if (!keep_alive) break;
        }
        co_await close();
      }
    } catch (const std::exception& e) {
      std::cerr << "tlshop: connection from " << remote_ << " failed: " << e.what() << "\n";
    }
  }

 private:
  // How the connection table reaches this connection: on its own thread, and only
  // while it lives.
  ConnectionTable::Notify notifier() {
    std::weak_ptr<Connection> weak = weak_from_this();
    auto executor = stream_.get_executor();
    return [weak, executor](Notice notice) {
      asio::post(executor, [weak, notice] {
        if (auto connection = weak.lock()) connection->on_notice(notice);
      });
    };
  }

  void on_notice(Notice notice) {
    beast::error_code ignored;
    switch (notice) {
      case Notice::kShutdown:
        if (phase_ == ConnectionPhase::kIdle) stream_.socket().cancel(ignored);
        break;
      case Notice::kEvict:
        // Counted in the metrics by the table, and not logged: evictions come in floods.
        if (phase_ == ConnectionPhase::kActive) break;
        evicted_ = true;
        stream_.socket().cancel(ignored);
        break;
      case Notice::kRecheck:
        recheck();
        break;
    }
  }

  // After a reload: a client the new CA bundle, CRLs or pins refuse is closed, at once
  // if idle, else once the reply under way has been sent.
  void recheck() {
    std::optional<tls::Refusal> refusal = state_.tls.current()->recheck(stream_.native_handle());
    if (!refusal) return;
    log_closed(tls::refusal_code(*refusal));
    distrusted_ = true;
    beast::error_code ignored;
    if (phase_ == ConnectionPhase::kIdle) stream_.socket().cancel(ignored);
  }

  bool closing() const { return state_.stopping || distrusted_; }

  X509* peer_certificate() const { return SSL_get0_peer_certificate(stream_.native_handle()); }

  ConnectionTable::ClientKey client_key() const {
    ConnectionTable::ClientKey key{};
    unsigned int length = 0;
    X509_digest(peer_certificate(), EVP_sha256(), key.data(), &length);
    return key;
  }

  // A connection lasts no longer than its client certificate.
  std::chrono::seconds idle_time_left() const {
    // notAfter is the certificate's last second: it has ended once the clock passes it.
    auto left = std::chrono::seconds(not_after_ - std::time(nullptr) + 1);
    return std::max(std::chrono::seconds(1), std::min(state_.config.idle_timeout, left));
  }

  bool certificate_expired() {
    if (std::time(nullptr) <= not_after_) return false;
    log_closed("expired");
    return true;
  }

  void log_closed(std::string_view reason) {
    state_.audit.write({{"event", "connection_closed"},
                        {"remote", remote_},
                        {"reason", reason},
                        {"subject", peer().subject},
                        {"serial", peer().serial}});
  }

  void enter(ConnectionPhase phase) {
    if (phase == phase_) return;
    phase_ = phase;
    state_.connections.enter(this, phase);
  }

  asio::awaitable<bool> handshake() {
    beast::error_code ec;
    stream_.expires_after(state_.connections.under_pressure() ? state_.config.busy_handshake_timeout
                                                              : state_.config.handshake_timeout);
    // Until the peer says something it is only a silent connection, the first to go
    // when room is needed; a ClientHello is usually there already.
    if (stream_.socket().available(ec) == 0 && !ec) {
      co_await stream_.async_wait_readable(capture(ec));
    }
    if (!ec) {
      state_.connections.handshake_started(this);
      co_await stream_.async_handshake(capture(ec));
    }
    if (ec) {
      if (!evicted_) refuse(ec);
      co_return false;
    }
    state_.metrics.handshake_accepted(SSL_session_reused(stream_.native_handle()) == 1);
    co_return true;
  }

  void refuse(const beast::error_code& ec) {
    tls::Refusal refusal = tls::Refusal::kHandshakeError;
    if (ec == beast::error::timeout) {
      refusal = tls::Refusal::kTimeout;
    } else if (ec.category() == asio::error::get_ssl_category()) {
      refusal = tls::classify_handshake_failure(stream_.native_handle(),
                                                static_cast<unsigned long>(ec.value()));
    }
    report_refusal(state_, stream_.native_handle(), refusal, remote_, source_.to_string(),
                   ec.message());
  }

  // Reads what has arrived of a request: at once if a whole record is there.
  asio::awaitable<bool> receive(beast::flat_buffer& buffer) {
    beast::error_code ec;
    std::size_t n = stream_.read_some(buffer.prepare(kReadChunk), ec);
    if (ec == asio::error::would_block) {  // part of a record so far
      stream_.expires_after(state_.config.request_timeout);
      n = co_await stream_.async_read_some(buffer.prepare(kReadChunk), capture(ec));
    }
    buffer.commit(n);
    co_return !ec || n > 0;
  }

  asio::awaitable<bool> serve_one(beast::flat_buffer& buffer) {
    auto started = std::chrono::steady_clock::now();
    beast::error_code ec;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(state_.config.max_header_bytes));
    parser.body_limit(state_.config.max_body_bytes);
    // Most requests are whole in the buffer by now: parse them without the event loop.
    std::size_t received = http::read(stream_, buffer, parser, ec);
    if (ec == asio::error::would_block) {
      stream_.expires_after(state_.config.request_timeout);
      received += co_await http::async_read(stream_, buffer, parser, capture(ec));
    }
    state_.metrics.bytes_received(received);

    std::string route = "other";
    std::string method, target;
    bool keep_alive = false;
    Response response;
    if (ec) {
      std::optional<Response> error = response_for_read_error(ec);
      if (!error) {
        if (ec == beast::error::timeout) record(started, route, 408, "", "", 0, received);
        co_return false;
      }
      response = std::move(*error);
      unread_input_ = true;
    } else {
      Request request = parser.release();
      method = std::string(request.method_string());
      target = std::string(request.target().substr(0, kLoggedTargetLength));
      std::chrono::milliseconds delay{0};
      RequestHandler::Blocking blocking = state_.handler.blocking(request);
      if (blocking != RequestHandler::Blocking::kNo) {
        // Logins wait for Argon2id (CPU and memory, so few at once) and writes for the
        // disk (many at once, so that they share commits): neither holds up the loop.
        auto& pool = blocking == RequestHandler::Blocking::kPasswordHashing ? state_.workers
                                                                            : state_.writers;
        response = co_await asio::co_spawn(
            pool, [&]() -> asio::awaitable<Response> { co_return respond(request, route, delay); },
            asio::use_awaitable);
      } else {
        response = respond(request, route, delay);
      }
      if (delay.count() > 0) {
        asio::steady_timer pause(stream_.get_executor(), delay);
        co_await pause.async_wait(capture(ec));
      }
      keep_alive = request.keep_alive() && !closing();
    }
    response.keep_alive(keep_alive);
    std::size_t sent = co_await send(response, method != "HEAD", ec);
    // A last reply waits to leave with the close_notify; any other goes now.
    if (keep_alive) stream_.flush();
    state_.metrics.bytes_sent(sent);
    record(started, route, response.result_int(), method, target, sent, received);
    co_return keep_alive && !ec;
  }

  // Sends at once what the socket takes, and waits only for the rest.
  asio::awaitable<std::size_t> send(const Response& response, bool with_body,
                                    beast::error_code& ec) {
    std::string wire = wire_format(response, with_body);
    std::size_t sent = asio::write(stream_, asio::buffer(wire), ec);
    if (ec == asio::error::would_block) {
      stream_.expires_after(state_.config.request_timeout);
      sent += co_await asio::async_write(stream_, asio::buffer(wire) + sent, capture(ec));
    }
    co_return sent;
  }

  const tls::PeerIdentity& peer() {
    if (!peer_) {
      peer_ =
          std::make_unique<const tls::PeerIdentity>(tls::describe_peer(stream_.native_handle()));
    }
    return *peer_;
  }

  Response respond(const Request& request, std::string& route, std::chrono::milliseconds& delay) {
    try {
      return state_.handler.handle(request, peer(), route, delay);
    } catch (const std::exception& e) {
      std::cerr << "tlshop: request " << request.target() << " failed: " << e.what() << "\n";
      return error_response(http::status::internal_server_error, "internal_error",
                            "the server could not complete the request");
    }
  }

  void record(std::chrono::steady_clock::time_point started, const std::string& route,
              unsigned status, const std::string& method, const std::string& target,
              std::size_t sent, std::size_t received) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    state_.metrics.request_done(route, status, seconds);
    state_.access.write(JsonMembers()
                            .text("remote", remote_)
                            .text("subject", peer().subject)
                            .text("method", method)
                            .text("target", target)
                            .number("status", status)
                            .number("bytes_in", received)
                            .number("bytes_out", sent)
                            .decimal("duration_ms", seconds * 1000.0));
  }

  asio::awaitable<void> close() {
    beast::error_code ec;
    if (!stream_.try_shutdown()) {
      stream_.expires_after(kCloseTimeout);
      co_await stream_.async_shutdown(capture(ec));
    }
    if (unread_input_) co_await drain_input();
    stream_.socket().close(ec);
  }

  asio::awaitable<void> drain_input() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTimeout);
    std::array<char, 16384> scratch;
    for (std::size_t drained = 0; !ec && drained < kLingerBytes;) {
      drained += co_await stream_.socket().async_read_some(asio::buffer(scratch), capture(ec));
    }
  }

  ServerState& state_;
  asio::ip::address source_;
  std::string remote_;
  std::shared_ptr<const tls::ServerTlsContext> tls_;
  net::TlsSocket stream_;
  // Described when a request first needs it: a connection that only waits holds none.
  std::unique_ptr<const tls::PeerIdentity> peer_;
  ConnectionPhase phase_ = ConnectionPhase::kHandshake;
  std::time_t not_after_ = 0;
  bool evicted_ = false;     // closed to make room for others
  bool distrusted_ = false;  // its certificate is no longer accepted
  bool unread_input_ = false;
};

}  // namespace

void start_connection(tcp::socket socket, const tcp::endpoint& peer, ServerState& state) {
  auto executor = socket.get_executor();
  auto connection = std::make_shared<Connection>(std::move(socket), peer, state);
  asio::co_spawn(
      executor, [connection]() { return connection->run(); }, asio::detached);
}

}  // namespace tlshop::server
