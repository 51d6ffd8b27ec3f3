#include "client/datagram_channel.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "api/datagram_protocol.hpp"
#include "api/error_body.hpp"
#include "client/channel.hpp"
#include "client/handshake_words.hpp"
#include "client/tls_settings.hpp"
#include "tls/client_context.hpp"
#include "tls/datagram_bio.hpp"

namespace tlshop::client {
namespace asio = boost::asio;
using udp = asio::ip::udp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMtu = 1200;
constexpr std::chrono::milliseconds kFirstRetry{250};
constexpr std::chrono::milliseconds kLongestRetry{2000};
// The server ends a session it has not heard from for a while (timeouts.idle_seconds, a
// minute by default): after a pause this long a new handshake comes first.
constexpr std::chrono::seconds kSessionRest{30};
// Items on a page over UDP: a page must fit in one datagram (next_cursor goes on).
constexpr int kItemsPerDatagram = 8;

// Asks for at most `most` items, where the call asks for items.
void limit_items(api::DatagramRequest& request, int most) {
  if (request.op != "items") return;
  for (auto& [name, value] : request.args) {
    if (name == "limit") {
      value = std::to_string(std::min(std::stoi(value), most));
      return;
    }
  }
  request.args.emplace_back("limit", std::to_string(most));
}

std::uint64_t random_first_id() {
  std::uint64_t id = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&id), sizeof id);
  return (id >> 12) + 1;  // room to count up; never 0, which the server gives the unreadable
}

// The datagram protocol over DTLS 1.2 on a connected UDP socket: each request a record,
// sent again (same id) until its reply comes, with growing pauses, within the timeout.
class DatagramChannel : public Channel {
 public:
  DatagramChannel(const asio::any_io_executor& executor, ConnectionSettings settings)
      : Channel(executor, std::move(settings)),
        socket_(strand()),
        timer_(strand()),
        next_id_(random_first_id()) {
    try {
      tls::ClientTlsSettings dtls = tls_settings(this->settings());
      dtls.datagram = true;
      tls_ = tls::ClientTlsContext::load(dtls);
    } catch (const Error& e) {
      throw ClientError(ClientErrorKind::kConfiguration, e.what());
    }
  }

 protected:
  asio::awaitable<Response> send(const Request& request) override {
    api::DatagramRequest datagram;
    try {
      datagram = api::datagram_equivalent(request.method, request.target, request.body,
                                          request.content_type);
    } catch (const Error& e) {
      throw ClientError(ClientErrorKind::kConfiguration, e.what());
    }
    datagram.token = token();
    limit_items(datagram, kItemsPerDatagram);
    if (ssl_ && Clock::now() - last_heard_ > kSessionRest) disconnect();
    if (!ssl_) co_await connect();
    for (int most = kItemsPerDatagram;; most /= 2) {
      Response response = co_await exchange(datagram);
      // Items with long names: ask for fewer on a page, down to one.
      if (response.status != 413 || datagram.op != "items" || most <= 1) co_return response;
      limit_items(datagram, most / 2);
    }
  }

  // Sends the request until its reply comes, within the timeout; a new id each call.
  asio::awaitable<Response> exchange(api::DatagramRequest& datagram) {
    datagram.id = next_id_++;
    std::string text = api::to_json(datagram);
    auto deadline = Clock::now() + settings().timeout;
    auto wait = std::chrono::duration_cast<Clock::duration>(kFirstRetry);
    for (;;) {
      write(text);
      auto left = deadline - Clock::now();
      if (auto reply = co_await reply_to(datagram.id, std::min(wait, left))) {
        co_return response_of(*reply);
      }
      if (Clock::now() >= deadline) {
        disconnect();
        throw ClientError(ClientErrorKind::kTimeout,
                          "no answer from " + settings().server() + " over UDP in time");
      }
      wait = std::min<Clock::duration>(wait * 2, kLongestRetry);
      count_retry();
    }
  }

  void abort() override { disconnect(); }

 private:
  asio::awaitable<void> connect() {
    boost::system::error_code ec;
    udp::resolver resolver(strand());
    std::string port = std::to_string(settings().port);  // named: GCC 12 and co_await
    auto found = co_await resolver.async_resolve(settings().host, port,
                                                 asio::redirect_error(asio::use_awaitable, ec));
    if (ec || found.empty()) {
      throw ClientError(ClientErrorKind::kUnreachable,
                        "cannot find server " + settings().host + ": " + ec.message());
    }
    udp::endpoint server = found.begin()->endpoint();
    socket_ = udp::socket(strand());
    socket_.open(server.protocol(), ec);
    if (!ec) socket_.connect(server, ec);
    if (ec) {
      throw ClientError(ClientErrorKind::kUnreachable,
                        "cannot reach " + settings().server() + ": " + ec.message());
    }
    queue_ = std::make_unique<tls::DatagramQueue>(kMtu);
    queue_->set_peer(server.data());
    ssl_.reset(SSL_new(tls_->native()));
    queue_->attach_to(ssl_.get());
    tls::ClientTlsContext::expect_server_name(ssl_.get(), settings().host);
    SSL_set_connect_state(ssl_.get());
    co_await handshake();
  }

  asio::awaitable<void> handshake() {
    auto deadline = Clock::now() + settings().timeout;
    for (;;) {
      ERR_clear_error();
      int result = SSL_do_handshake(ssl_.get());
      flush();
      if (result == 1) break;
      if (int error = SSL_get_error(ssl_.get(), result); error != SSL_ERROR_WANT_READ) {
        handshake_failed(error);
      }
      if (Clock::now() >= deadline) {
        disconnect();
        throw ClientError(ClientErrorKind::kTimeout,
                          "timed out in the DTLS handshake with " + settings().server());
      }
      timeval retransmit{};
      Clock::duration wait = deadline - Clock::now();
      if (DTLSv1_get_timeout(ssl_.get(), &retransmit) == 1) {
        wait = std::min<Clock::duration>(wait, std::chrono::seconds(retransmit.tv_sec) +
                                                   std::chrono::microseconds(retransmit.tv_usec));
      }
      if (auto datagram = co_await receive(wait)) {
        queue_->receive(std::move(*datagram));
      } else {
        DTLSv1_handle_timeout(ssl_.get());  // resends the last flight
      }
    }
    last_heard_ = Clock::now();
  }

  [[noreturn]] void handshake_failed(int ssl_error) {
    unsigned long error = ERR_peek_last_error();
    long verify = SSL_get_verify_result(ssl_.get());
    std::string failure = error != 0
                              ? ERR_reason_error_string(error)
                              : std::string("it stopped in ") + SSL_state_string_long(ssl_.get()) +
                                    " (" + std::to_string(ssl_error) + ")";
    ERR_clear_error();
    disconnect();
    throw handshake_error(settings(), verify, error, failure);
  }

  // The reply with this id, or nullopt if none came in `wait`.
  asio::awaitable<std::optional<api::DatagramReply>> reply_to(std::uint64_t id,
                                                              Clock::duration wait) {
    auto until = Clock::now() + wait;
    while (Clock::now() < until) {
      std::optional<std::string> datagram = co_await receive(until - Clock::now());
      if (!datagram) break;
      queue_->receive(std::move(*datagram));
      last_heard_ = Clock::now();
      char buffer[api::kMaxDatagramMessage + 64];
      for (;;) {
        ERR_clear_error();
        int n = SSL_read(ssl_.get(), buffer, sizeof buffer);
        if (n <= 0) {
          read_failed(n);
          break;
        }
        try {
          api::DatagramReply reply =
              api::parse_datagram_reply(std::string_view(buffer, static_cast<std::size_t>(n)));
          if (reply.id == id) co_return reply;
        } catch (const Error&) {
          // Not a reply of this protocol: nothing to answer it with, so it is dropped.
        }
      }
      flush();
    }
    co_return std::nullopt;
  }

  void read_failed(int result) {
    int error = SSL_get_error(ssl_.get(), result);
    if (error == SSL_ERROR_WANT_READ) return;
    unsigned long reason = ERR_peek_last_error();
    ERR_clear_error();
    disconnect();
    if (reason != 0 && is_alert(reason)) {
      throw ClientError(ClientErrorKind::kRefusedByServer,
                        settings().server() + " refused this client: " + alert_words(reason));
    }
    throw ClientError(ClientErrorKind::kProtocol,
                      "the DTLS session with " + settings().server() + " ended");
  }

  // One datagram from the server, or nullopt if none came in `wait`.
  asio::awaitable<std::optional<std::string>> receive(Clock::duration wait) {
    boost::system::error_code ec;
    timer_.expires_after(wait);
    // A timer that fired just as a datagram came has its handler queued still: the
    // number keeps it from cancelling a later receive.
    timer_.async_wait([this, waiting = ++receives_](const boost::system::error_code& expired) {
      if (!expired && waiting == receives_) socket_.cancel();
    });
    std::string buffer(65536, '\0');
    std::size_t n = co_await socket_.async_receive(asio::buffer(buffer),
                                                   asio::redirect_error(asio::use_awaitable, ec));
    timer_.cancel();
    if (closed()) throw cancelled();
    if (ec == asio::error::operation_aborted) co_return std::nullopt;
    if (ec) {
      disconnect();
      throw ClientError(ClientErrorKind::kUnreachable,
                        "cannot reach " + settings().server() + " over UDP: " + ec.message());
    }
    buffer.resize(n);
    co_return buffer;
  }

  void write(const std::string& text) {
    ERR_clear_error();
    SSL_write(ssl_.get(), text.data(), static_cast<int>(text.size()));
    ERR_clear_error();
    flush();
  }

  void flush() {
    while (queue_->has_outgoing()) {
      std::string datagram = queue_->take_outgoing();
      boost::system::error_code ignored;  // a lost datagram is sent again on its timer
      socket_.send(asio::buffer(datagram), 0, ignored);
    }
  }

  static Response response_of(const api::DatagramReply& reply) {
    std::string body =
        reply.status < 300 ? reply.result : api::error_json(reply.error_code, reply.error_message);
    return Response{reply.status, "application/json", std::move(body)};
  }

  // Ends the session; an established one with a close_notify, so that the server frees
  // its place at once rather than after its idle timeout.
  void disconnect() {
    if (ssl_ && SSL_is_init_finished(ssl_.get()) == 1) {
      SSL_shutdown(ssl_.get());
      flush();
    }
    ssl_.reset();
    queue_.reset();
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  std::shared_ptr<const tls::ClientTlsContext> tls_;
  udp::socket socket_;
  asio::steady_timer timer_;
  std::unique_ptr<tls::DatagramQueue> queue_;  // before ssl_, whose BIO refers to it
  pki::UniquePtr<SSL> ssl_;
  std::uint64_t next_id_;
  std::uint64_t receives_ = 0;
  Clock::time_point last_heard_;
};

}  // namespace

std::shared_ptr<Channel> make_datagram_channel(const asio::any_io_executor& executor,
                                               ConnectionSettings settings) {
  return std::make_shared<DatagramChannel>(executor, std::move(settings));
}

}  // namespace tlshop::client
