#include "support/memory_handshake.hpp"

#include <openssl/err.h>

namespace tlshop::test {

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
      int rc = SSL_do_handshake(handshake.server.get());
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
