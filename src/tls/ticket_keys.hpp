#pragma once

#include <openssl/ssl.h>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace tlshop::tls {

// Session ticket keys that several servers share, so that a client resumes its TLS
// session on whichever of them it reaches next. The file holds one key per line, 160
// hex digits of 80 random bytes (a 16-byte name, a 32-byte HMAC-SHA256 key, a 32-byte
// AES-256 key), the newest first: tickets are sealed with the first key and accepted
// under any, a ticket under an older key being replaced by a new one. OpenSSL seals and
// opens the tickets (AES-256-CBC and HMAC-SHA256 through its ticket key callback).
class TicketKeys {
 public:
  // Throws tlshop::Error naming the file and what is wrong with it.
  static TicketKeys load(const std::filesystem::path& file);
  TicketKeys(const TicketKeys&) = default;
  TicketKeys& operator=(const TicketKeys&) = default;
  ~TicketKeys();

  // Makes `ctx` issue stateless tickets under these keys; the object must outlive it.
  void install(SSL_CTX* ctx) const;

  // Writes a fresh key first into `file` (made, owner-only, if missing) and keeps
  // `keep - 1` of the keys it held, newest first; returns how many it now holds.
  static std::size_t rotate(const std::filesystem::path& file, std::size_t keep = 2);

 private:
  TicketKeys() = default;
  struct Key {
    std::array<unsigned char, 16> name;
    std::array<unsigned char, 32> hmac;
    std::array<unsigned char, 32> aes;
  };
  static int seal_or_open(SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                          EVP_MAC_CTX* mac, int seal);

  std::vector<Key> keys_;
};

}  // namespace tlshop::tls
