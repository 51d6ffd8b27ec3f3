#include "net/tls_socket.hpp"

#include <openssl/err.h>

#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <cerrno>
#include <stdexcept>

namespace tlshop::net {
namespace asio = boost::asio;

TlsSocket::TlsSocket(asio::ip::tcp::socket socket, SSL_CTX* ctx)
    : socket_(std::move(socket)),
      ssl_(SSL_new(ctx)),
      deadline_state_(std::make_shared<Deadline>()),
      deadline_(socket_.get_executor()) {
  deadline_state_->socket = &socket_;
  deadline_state_->timer = &deadline_;
  if (ssl_ == nullptr) throw std::runtime_error("cannot create a TLS connection");
  socket_.non_blocking(true);
  SSL_set_fd(ssl_, socket_.native_handle());
  SSL_set_accept_state(ssl_);
  // Idle connections hold no record buffers; the read buffer, when there is one, takes
  // in whatever has arrived at once rather than a record header at a time.
  SSL_set_mode(ssl_, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                         SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_read_ahead(ssl_, 1);
}

TlsSocket::~TlsSocket() {
  deadline_state_->socket = nullptr;
  deadline_state_->timer = nullptr;
  SSL_free(ssl_);
}

void TlsSocket::expires_after(std::chrono::steady_clock::duration timeout) {
  Deadline& deadline = *deadline_state_;
  deadline.at = std::chrono::steady_clock::now() + timeout;
  deadline.passed = false;
  if (deadline.armed && deadline.armed_at <= deadline.at) return;  // it fires first, re-arms
  arm(deadline_state_);
}

void TlsSocket::arm(const std::shared_ptr<Deadline>& state) {
  state->armed = true;
  state->armed_at = state->at;
  state->timer->expires_at(state->at);
  state->timer->async_wait([state](const error_code& ec) {
    // Cancelled: re-armed earlier (the new wait is pending), or the socket is gone.
    if (ec || state->socket == nullptr) return;
    state->armed = false;
    if (std::chrono::steady_clock::now() < state->at) return arm(state);
    state->passed = true;
    error_code ignored;
    state->socket->cancel(ignored);
  });
}

namespace {

// OpenSSL's error queue and errno may hold what an earlier call on this thread left.
void prepare_for_call() {
  ERR_clear_error();
  errno = 0;
}

}  // namespace

TlsSocket::Step TlsSocket::handshake_step(error_code& ec) {
  prepare_for_call();
  return interpret(SSL_do_handshake(ssl_), ec);
}

TlsSocket::Step TlsSocket::shutdown_step(error_code& ec) {
  prepare_for_call();
  int result = SSL_shutdown(ssl_);
  // 1: both close_notify exchanged; 0: ours is sent and the peer's is not awaited.
  if (result >= 0) return Step::kDone;
  return interpret(result, ec);
}

TlsSocket::Step TlsSocket::readable_step(bool& waited) {
  if (SSL_has_pending(ssl_) == 1) return Step::kDone;
  // Nothing is buffered: the record buffers (about 17 KiB each) go back until the
  // peer sends something, as nginx does for its idle connections.
  SSL_free_buffers(ssl_);
  waited = true;
  return Step::kWantRead;
}

TlsSocket::Step TlsSocket::read_step(asio::mutable_buffer buffer, std::size_t& n, error_code& ec) {
  if (buffer.size() == 0) return Step::kDone;
  prepare_for_call();
  int result = SSL_read_ex(ssl_, buffer.data(), buffer.size(), &n);
  return result == 1 ? Step::kDone : interpret(result, ec);
}

TlsSocket::Step TlsSocket::write_step(asio::const_buffer buffer, std::size_t& n, error_code& ec) {
  if (buffer.size() == 0) return Step::kDone;
  prepare_for_call();
  int result = SSL_write_ex(ssl_, buffer.data(), buffer.size(), &n);
  return result == 1 ? Step::kDone : interpret(result, ec);
}

TlsSocket::Step TlsSocket::interpret(int result, error_code& ec) {
  if (result == 1) return Step::kDone;
  int saved_errno = errno;
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      return Step::kWantRead;
    case SSL_ERROR_WANT_WRITE:
      return Step::kWantWrite;
    case SSL_ERROR_ZERO_RETURN:
      ec = asio::error::eof;
      return Step::kDone;
    case SSL_ERROR_SYSCALL:
      ec = saved_errno != 0 ? error_code(saved_errno, boost::system::system_category())
                            : error_code(asio::ssl::error::stream_truncated);
      return Step::kDone;
    default: {
      unsigned long error = ERR_get_error();
      if (ERR_GET_REASON(error) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        ec = asio::ssl::error::stream_truncated;
      } else {
        ec = error_code(static_cast<int>(error), asio::error::get_ssl_category());
      }
      return Step::kDone;
    }
  }
}

TlsSocket::error_code TlsSocket::would_block() { return asio::error::would_block; }

TlsSocket::error_code TlsSocket::wait_failure(const error_code& ec) const {
  if (ec == asio::error::operation_aborted && deadline_state_->passed)
    return boost::beast::error::timeout;
  return ec;
}

}  // namespace tlshop::net
