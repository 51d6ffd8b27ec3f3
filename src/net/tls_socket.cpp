#include "net/tls_socket.hpp"

#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <cerrno>
#include <stdexcept>

namespace tlshop::net {
namespace asio = boost::asio;

namespace {

// OpenSSL writes into the socket's held-back output (a std::string); TlsSocket sends it.
int hold_back(BIO* bio, const char* data, std::size_t length, std::size_t* written) {
  static_cast<std::string*>(BIO_get_data(bio))->append(data, length);
  *written = length;
  return 1;
}

long held_back_control(BIO* bio, int command, long, void*) {
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;  // sent before the socket next waits: see TlsSocket::before_waiting
    case BIO_CTRL_WPENDING:
      return static_cast<long>(static_cast<std::string*>(BIO_get_data(bio))->size());
    default:
      return 0;
  }
}

int start_holding_back(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

BIO* held_back_output(std::string& held_back) {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* created =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tlshop held-back output");
    if (created == nullptr || BIO_meth_set_write_ex(created, hold_back) != 1 ||
        BIO_meth_set_ctrl(created, held_back_control) != 1 ||
        BIO_meth_set_create(created, start_holding_back) != 1) {
      throw std::runtime_error("cannot create the TLS output method");
    }
    return created;
  }();
  BIO* bio = BIO_new(method);
  if (bio != nullptr) BIO_set_data(bio, &held_back);
  return bio;
}

}  // namespace

TlsSocket::TlsSocket(asio::ip::tcp::socket socket, SSL_CTX* ctx)
    : socket_(std::move(socket)),
      ssl_(SSL_new(ctx)),
      deadline_state_(std::make_shared<Deadline>()),
      deadline_(socket_.get_executor()) {
  deadline_state_->socket = &socket_;
  deadline_state_->timer = &deadline_;
  if (ssl_ == nullptr) throw std::runtime_error("cannot create a TLS connection");
  socket_.non_blocking(true);
  BIO* input = BIO_new_socket(socket_.native_handle(), BIO_NOCLOSE);
  BIO* output = held_back_output(held_back_);
  if (input == nullptr || output == nullptr) {
    BIO_free(input);
    BIO_free(output);
    SSL_free(ssl_);
    throw std::runtime_error("cannot create a TLS connection");
  }
  SSL_set_bio(ssl_, input, output);
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
// The queue is nearly always empty, and looking is cheaper than clearing its 16 slots.
void prepare_for_call() {
  if (ERR_peek_error() != 0) ERR_clear_error();
  errno = 0;
}

}  // namespace

TlsSocket::Step TlsSocket::handshake_step(error_code& ec) {
  prepare_for_call();
  Step step = interpret(SSL_do_handshake(ssl_), ec);
  // A refusal's alert is sent now, as far as the socket takes it: the connection ends.
  if (step == Step::kDone && ec) flush();
  return before_waiting(step, ec);
}

TlsSocket::Step TlsSocket::shutdown_step(error_code& ec) {
  // Once written, the close_notify only has to leave: calling SSL_shutdown again would
  // wait for the peer's.
  if ((SSL_get_shutdown(ssl_) & SSL_SENT_SHUTDOWN) == 0) {
    prepare_for_call();
    int result = SSL_shutdown(ssl_);
    // 1: both close_notify exchanged; 0: ours is written and the peer's is not awaited.
    if (result < 0) return before_waiting(interpret(result, ec), ec);
  }
  return flush_step(ec);
}

TlsSocket::Step TlsSocket::readable_step(bool& waited) {
  if (SSL_has_pending(ssl_) == 1) return Step::kDone;
  error_code ignored;  // a peer that is gone shows as readable
  if (flush_step(ignored) == Step::kWantWrite) return Step::kWantWrite;
  // Nothing is buffered: the record buffers (about 17 KiB each) go back until the
  // peer sends something, as nginx does for its idle connections.
  SSL_free_buffers(ssl_);
  std::string().swap(held_back_);
  waited = true;
  return Step::kWantRead;
}

TlsSocket::Step TlsSocket::read_step(asio::mutable_buffer buffer, std::size_t& n, error_code& ec) {
  if (buffer.size() == 0) return Step::kDone;
  prepare_for_call();
  int result = SSL_read_ex(ssl_, buffer.data(), buffer.size(), &n);
  return result == 1 ? Step::kDone : before_waiting(interpret(result, ec), ec);
}

TlsSocket::Step TlsSocket::write_step(asio::const_buffer buffer, std::size_t& n, error_code& ec) {
  if (buffer.size() == 0) return Step::kDone;
  if (held_back_.size() >= kMaxHeldBack) {
    Step flushed = flush_step(ec);
    if (flushed != Step::kDone || ec) return flushed;
  }
  // At most this much at a time: a large reply is held back a piece at a time, not whole.
  std::size_t piece = std::min(buffer.size(), kMaxHeldBack);
  prepare_for_call();
  int result = SSL_write_ex(ssl_, buffer.data(), piece, &n);
  return result == 1 ? Step::kDone : interpret(result, ec);
}

TlsSocket::Step TlsSocket::flush_step(error_code& ec) {
  std::size_t sent = 0;
  while (sent < held_back_.size()) {
    ssize_t n = ::send(socket_.native_handle(), held_back_.data() + sent, held_back_.size() - sent,
                       MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<std::size_t>(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      held_back_.erase(0, sent);
      return Step::kWantWrite;
    } else if (errno != EINTR) {
      ec = error_code(errno, boost::system::system_category());
      held_back_.clear();
      return Step::kDone;
    }
  }
  held_back_.clear();
  return Step::kDone;
}

TlsSocket::Step TlsSocket::before_waiting(Step wait, error_code& ec) {
  if (wait != Step::kWantRead || held_back_.empty()) return wait;
  Step flushed = flush_step(ec);
  return flushed == Step::kDone && !ec ? Step::kWantRead : flushed;
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
