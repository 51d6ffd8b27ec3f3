#pragma once

#include <openssl/core.h>

#include <span>

namespace tlshop::tls {

// Key management for X25519 whose key generation takes half as long as OpenSSL 3.0's:
// OpenSSL computes a new key's public half with portable 32-bit field code, while
// libsodium multiplies the Ed25519 base point from a precomputed table (and GMP turns
// the point into its Montgomery form). Keys export to OpenSSL's own X25519, so the key
// exchange itself, and its refusal of low-order points, stay OpenSSL's.
const OSSL_DISPATCH* x25519_key_management_functions();

// The X25519 public key of a private key (RFC 7748): the Montgomery u-coordinate
// (1 + y) / (1 - y) of the Ed25519 point [clamped private key] * base point.
// False only if OpenSSL's arithmetic fails.
bool x25519_public_key(std::span<const unsigned char, 32> private_key,
                       std::span<unsigned char, 32> public_key);

}  // namespace tlshop::tls
