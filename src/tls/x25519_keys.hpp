#pragma once

#include <openssl/core.h>

#include <span>

namespace tlshop::tls {

// X25519 for OpenSSL's provider interface. Key generation takes less than half of OpenSSL
// 3.0's time: OpenSSL computes a new key's public half with portable 32-bit field code, while
// x25519_public_keys.hpp multiplies the Ed25519 base point from a precomputed table, a
// batch of keys at a time. The exchange is OpenSSL's own (see openssl_x25519.hpp), given
// the keys only for the moment it takes.
const OSSL_DISPATCH* x25519_key_management_functions();
const OSSL_DISPATCH* x25519_key_exchange_functions();

// The X25519 public key of a private key (RFC 7748), as compute_x25519_public_keys
// computes it.
bool x25519_public_key(std::span<const unsigned char, 32> private_key,
                       std::span<unsigned char, 32> public_key);

}  // namespace tlshop::tls
