#pragma once

#include <openssl/ssl.h>

#include <string>

#include "pki/openssl_handles.hpp"

namespace tlshop::test {

// A TLS handshake between two SSL_CTXs over a BIO pair in memory: real OpenSSL on both
// ends, no sockets. Both SSL objects are kept for inspection.
struct MemoryHandshake {
  pki::UniquePtr<SSL> server;
  pki::UniquePtr<SSL> client;
  bool server_ok = false;
  bool client_ok = false;
  unsigned long server_error = 0;  // OpenSSL's error when the server failed
  double server_cpu_seconds = 0;   // CPU time the server end spent in the handshake
};

// Drives both ends until each has finished or failed. In TLS 1.3 the client finishes
// first; a server refusal reaches it as an alert on its first read. `configure_client`
// runs on the client's SSL before the handshake (server name, session to resume).
template <typename ConfigureClient>
MemoryHandshake run_memory_handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx,
                                     ConfigureClient configure_client);

MemoryHandshake start_memory_handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx);
void finish_memory_handshake(MemoryHandshake& handshake);

template <typename ConfigureClient>
MemoryHandshake run_memory_handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx,
                                     ConfigureClient configure_client) {
  MemoryHandshake handshake = start_memory_handshake(server_ctx, client_ctx);
  configure_client(handshake.client.get());
  finish_memory_handshake(handshake);
  return handshake;
}

}  // namespace tlshop::test
