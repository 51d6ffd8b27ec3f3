#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

// HMAC and HKDF (RFC 2104, RFC 5869) over SHA-256 and SHA-384, computed on the stack
// with OpenSSL's SHA-2 block functions. OpenSSL 3.0's own HKDF fetches the digest and
// the MAC by name and allocates several contexts for every call; a TLS 1.3 handshake
// makes a dozen such calls (see tls13_kdf.hpp).
namespace tlshop::tls::hkdf {

enum class Hash { kSha256, kSha384 };

using Bytes = std::span<const unsigned char>;

// "SHA256", "SHA2-256", "SHA-256" and the same for 384, as OpenSSL names them.
std::optional<Hash> hash_named(std::string_view name);

std::size_t digest_size(Hash hash);

// out receives digest_size(hash) bytes.
void digest(Hash hash, Bytes message, unsigned char* out);

// An HMAC fed in pieces (OpenSSL's EVP_MAC interface); a copy continues on its own.
class Hmac {
 public:
  Hmac(Hash hash, Bytes key);
  Hmac(const Hmac& other);
  Hmac& operator=(const Hmac&) = delete;
  ~Hmac();

  void update(Bytes data);
  // out receives digest_size(hash) bytes; nothing may be added afterwards.
  void finish(unsigned char* out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::size_t block_size(Hash hash);

// HMAC of the concatenation of up to three parts; out receives digest_size(hash) bytes.
void hmac(Hash hash, Bytes key, Bytes part1, Bytes part2, Bytes part3, unsigned char* out);

// HKDF-Extract: out receives digest_size(hash) bytes.
void extract(Hash hash, Bytes salt, Bytes input_key, unsigned char* out);

// HKDF-Expand: fills out; false when out is longer than 255 digests.
bool expand(Hash hash, Bytes pseudorandom_key, Bytes info, std::span<unsigned char> out);

}  // namespace tlshop::tls::hkdf
