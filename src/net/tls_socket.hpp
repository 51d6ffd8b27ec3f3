#pragma once

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tlshop::net {

// The server's end of a TLS connection, driven straight from a non-blocking socket:
// OpenSSL reads and writes the descriptor itself and Asio only says when it is ready.
// Asio's ssl::stream copies every byte through a BIO pair and holds four 17 KiB buffers
// per connection; this holds none while a connection waits (SSL_free_buffers).
//
// What OpenSSL writes is held back until this socket is about to wait, is closing, or
// is asked to flush(): the session ticket that ends a handshake leaves with the first
// reply, and a last reply with the close_notify, in one system call each.
//
// It is a Beast AsyncReadStream and AsyncWriteStream. Like beast::tcp_stream it has a
// deadline: once expires_after() has passed, the pending operation fails with
// beast::error::timeout. Errors are those of asio::ssl::stream: asio::error::eof for a
// close_notify, asio::ssl::error::stream_truncated for a close without one, and
// OpenSSL's error code in asio::error::get_ssl_category() for a TLS failure. OpenSSL
// writes with write(2): the process must ignore SIGPIPE.
class TlsSocket {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  using error_code = boost::system::error_code;

  // Takes the socket; ctx gives the TLS settings (accept side).
  TlsSocket(boost::asio::ip::tcp::socket socket, SSL_CTX* ctx);
  ~TlsSocket();
  TlsSocket(const TlsSocket&) = delete;
  TlsSocket& operator=(const TlsSocket&) = delete;

  executor_type get_executor() { return socket_.get_executor(); }
  SSL* native_handle() const { return ssl_; }
  boost::asio::ip::tcp::socket& socket() { return socket_; }

  void expires_after(std::chrono::steady_clock::duration timeout);

  // Whether OpenSSL holds received bytes not yet read: reading them needs no wait.
  bool has_buffered_input() const { return SSL_has_pending(ssl_) == 1; }

  // Sends what is held back, as far as the socket takes it now; the rest goes before
  // the next wait.
  void flush() {
    error_code ignored;
    flush_step(ignored);
  }

  // A SyncReadStream and SyncWriteStream that never wait: where the asynchronous
  // operation would wait for the socket, these fail with asio::error::would_block, and
  // the same operation can then continue asynchronously. A request that has already
  // arrived, and a reply the socket takes at once, so cost no trip through the event
  // loop.
  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, error_code& ec) {
    std::size_t n = 0;
    ec = {};
    if (read_step(first_nonempty(buffers), n, ec) != Step::kDone) ec = would_block();
    return n;
  }
  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    error_code ec;
    std::size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, error_code& ec) {
    std::size_t n = 0;
    ec = {};
    if (write_step(gather(buffers), n, ec) != Step::kDone) ec = would_block();
    return n;
  }

  template <typename Token>
  auto async_handshake(Token&& token) {
    return run([this](std::size_t&, error_code& ec) { return handshake_step(ec); },
               std::forward<Token>(token));
  }

  // Sends close_notify as async_shutdown does, without waiting: false if the socket
  // would not take it all now (async_shutdown then finishes the job).
  bool try_shutdown() {
    error_code ignored;
    return shutdown_step(ignored) == Step::kDone;
  }

  // Sends close_notify; does not wait for the peer's (TLS 1.3 does not ask the side that
  // closes first to wait), so the connection can be closed as soon as this completes.
  template <typename Token>
  auto async_shutdown(Token&& token) {
    return run([this](std::size_t&, error_code& ec) { return shutdown_step(ec); },
               std::forward<Token>(token));
  }

  // Completes once the peer has sent something (or closed), without reading it: an idle
  // connection holds no read buffer while it waits.
  template <typename Token>
  auto async_wait_readable(Token&& token) {
    return run(
        [this, waited = false](std::size_t&, error_code&) mutable {
          return waited ? Step::kDone : readable_step(waited);
        },
        std::forward<Token>(token));
  }

  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    boost::asio::mutable_buffer first = first_nonempty(buffers);
    return run([this, first](std::size_t& n, error_code& ec) { return read_step(first, n, ec); },
               std::forward<Token>(token));
  }

  template <typename ConstBuffers, typename Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    boost::asio::const_buffer data = gather(buffers);
    return run([this, data](std::size_t& n, error_code& ec) { return write_step(data, n, ec); },
               std::forward<Token>(token));
  }

 private:
  enum class Step { kDone, kWantRead, kWantWrite };

  Step handshake_step(error_code& ec);
  Step shutdown_step(error_code& ec);
  Step readable_step(bool& waited);
  Step read_step(boost::asio::mutable_buffer buffer, std::size_t& n, error_code& ec);
  Step write_step(boost::asio::const_buffer buffer, std::size_t& n, error_code& ec);
  // Sends held-back output: kDone once all is sent (or ec is set), kWantWrite if the
  // socket takes no more now.
  Step flush_step(error_code& ec);
  // A wait for reading must not leave output held back that the peer waits for.
  Step before_waiting(Step wait, error_code& ec);
  // What an OpenSSL call's failure means; kDone with ec set if it is not a wait.
  Step interpret(int result, error_code& ec);
  error_code wait_failure(const error_code& ec) const;
  static error_code would_block();

  template <typename Buffers>
  static boost::asio::mutable_buffer first_nonempty(const Buffers& buffers) {
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::mutable_buffer buffer(*it);
      if (buffer.size() > 0) return buffer;
    }
    return {};
  }

  // One buffer as it is; several (an HTTP header and body) copied into one, so that
  // they leave in one TLS record and one system call.
  template <typename Buffers>
  boost::asio::const_buffer gather(const Buffers& buffers) {
    auto begin = boost::asio::buffer_sequence_begin(buffers);
    auto end = boost::asio::buffer_sequence_end(buffers);
    if (begin == end) return {};
    if (std::next(begin) == end) return boost::asio::const_buffer(*begin);
    write_space_.resize(std::min(boost::asio::buffer_size(buffers), kMaxGather));
    std::size_t copied = boost::asio::buffer_copy(boost::asio::buffer(write_space_), buffers);
    return boost::asio::const_buffer(write_space_.data(), copied);
  }

  // Tries `attempt`; while OpenSSL waits on the socket, waits for readiness and tries
  // again. Completion is never invoked from inside the initiating call.
  template <typename Attempt, typename Token>
  auto run(Attempt attempt, Token&& token) {
    return boost::asio::async_compose<Token, void(error_code, std::size_t)>(
        [this, attempt, started = false](auto& self, error_code wait_error = {}) mutable {
          bool first = !started;
          started = true;
          std::size_t n = 0;
          error_code ec;
          if (wait_error) {
            ec = wait_failure(wait_error);
          } else {
            Step step = attempt(n, ec);
            if (step != Step::kDone) {
              socket_.async_wait(step == Step::kWantRead ? boost::asio::ip::tcp::socket::wait_read
                                                         : boost::asio::ip::tcp::socket::wait_write,
                                 std::move(self));
              return;
            }
          }
          if (!first) return self.complete(ec, n);
          boost::asio::post(socket_.get_executor(),
                            [self = std::move(self), ec, n]() mutable { self.complete(ec, n); });
        },
        token, socket_);
  }

  static constexpr std::size_t kMaxGather = 16384;
  // Output held back beyond this is sent before OpenSSL may add more.
  static constexpr std::size_t kMaxHeldBack = 16384;

  boost::asio::ip::tcp::socket socket_;
  std::string held_back_;  // what OpenSSL has written and the socket not yet sent
  SSL* ssl_ = nullptr;
  // Shared with the timer's handler, which may run after this socket is gone. The
  // timer is re-armed only when the deadline moves earlier; a later deadline (the usual
  // case: each request pushes it out) is picked up when the pending wait fires, so a
  // request costs no timer cancellations.
  struct Deadline {
    boost::asio::ip::tcp::socket* socket = nullptr;  // both nullptr once the socket is gone
    boost::asio::steady_timer* timer = nullptr;
    std::chrono::steady_clock::time_point at;
    std::chrono::steady_clock::time_point armed_at;
    bool armed = false;
    bool passed = false;
  };
  static void arm(const std::shared_ptr<Deadline>& state);
  std::shared_ptr<Deadline> deadline_state_;
  boost::asio::steady_timer deadline_;
  std::vector<unsigned char> write_space_;
};

}  // namespace tlshop::net
