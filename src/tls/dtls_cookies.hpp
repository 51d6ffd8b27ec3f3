#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <mutex>
#include <string>

namespace tlshop::tls {

// The stateless cookies of a DTLS server's HelloVerifyRequest: an HMAC-SHA256 (OpenSSL's)
// of the peer's address and port under a random secret that is replaced every
// `rotation`, the previous one still accepted. A client must echo the cookie from its own
// address before the server keeps anything for it, so spoofed ClientHellos cost nothing.
class DtlsCookies {
 public:
  explicit DtlsCookies(std::chrono::seconds rotation = std::chrono::minutes(5));

  // Makes `ctx` answer ClientHellos with these cookies; the object must outlive it.
  void install(SSL_CTX* ctx);

  // For a peer address as BIO_ADDR_rawaddress gives it, and its port.
  std::string cookie_for(const std::string& address_and_port);
  bool verify(const std::string& address_and_port, const unsigned char* cookie, std::size_t length);

 private:
  std::string mac(const std::string& secret, const std::string& data) const;
  void rotate_if_due();  // needs mutex_

  std::chrono::seconds rotation_;
  std::mutex mutex_;
  std::string current_, previous_;
  std::chrono::steady_clock::time_point made_;
};

}  // namespace tlshop::tls
