#pragma once

#include <span>

namespace tlshop::tls {

// X25519 (RFC 7748) computed by OpenSSL's own implementation, which on CPUs with MULX and
// ADX runs its assembly ladder: under load from the other hardware thread of a core it
// loses a quarter of its speed where libsodium's vector code loses half. It is reached
// through the function tables of OpenSSL's default provider, not through EVP, whose key
// objects and name lookups would cost more than the arithmetic.
//
// False for a peer key of small order (the secret would be all zeros, which RFC 7748 and
// OpenSSL refuse) or when OpenSSL's default provider offers no X25519.
bool openssl_x25519(std::span<const unsigned char, 32> private_key,
                    std::span<const unsigned char, 32> public_key,
                    std::span<const unsigned char, 32> peer_public_key,
                    std::span<unsigned char, 32> secret);

// Whether OpenSSL's default provider offers the X25519 functions openssl_x25519 uses.
bool openssl_x25519_available();

}  // namespace tlshop::tls
