#include "support/memory_handshake.hpp"

#include <openssl/err.h>
#include <time.h>

namespace tlshop::test {
namespace {

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Out of line so profilers can single out the server's share (callgrind --toggle-collect).
[[gnu::noinline]] int server_handshake_step(SSL* server) { return SSL_do_handshake(server); }

}  // namespace

MemoryHandshake start_memory_handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
  MemoryHandshake handshake;
  handshake.server.reset(SSL_new(server_ctx));
  handshake.client.reset(SSL_new(client_ctx));
  BIO* server_bio = nullptr;
  BIO* client_bio = nullptr;
  BIO_new_bio_pair(&server_bio, 0, &client_bio, 0);
  SSL_set_bio(handshake.server.get(), server_bio, server_bio);
  SSL_set_bio(handshake.client.get(), client_bio, client_bio);
  SSL_set_accept_state(handshake.server.get());
  SSL_set_connect_state(handshake.client.get());
  return handshake;
}

void finish_memory_handshake(MemoryHandshake& handshake) {
  bool server_done = false, client_done = false;
  for (int round = 0; round < 20 && !(server_done && client_done); ++round) {
    if (!client_done) {
      int rc = SSL_do_handshake(handshake.client.get());
      if (rc == 1) {
        client_done = handshake.client_ok = true;
      } else if (SSL_get_error(handshake.client.get(), rc) != SSL_ERROR_WANT_READ) {
        client_done = true;
      }
      ERR_clear_error();
    }
    if (!server_done) {
      double started = thread_cpu_seconds();
      int rc = server_handshake_step(handshake.server.get());
      handshake.server_cpu_seconds += thread_cpu_seconds() - started;
      if (rc == 1) {
        server_done = handshake.server_ok = true;
      } else if (SSL_get_error(handshake.server.get(), rc) != SSL_ERROR_WANT_READ) {
        server_done = true;
        handshake.server_error = ERR_peek_last_error();
      }
      ERR_clear_error();
    }
  }
}

}  // namespace tlshop::test
