#pragma once

#include <array>
#include <span>

namespace tlshop::tls {

using X25519Bytes = std::array<unsigned char, 32>;

// The X25519 public keys (RFC 7748) of a batch of private keys, each the Montgomery
// u-coordinate of [clamped private key] times Ed25519's base point. The multiplication
// reads a table of multiples of the base point (built once, at first use), in time that
// does not depend on the key, eight keys at once where the CPU has AVX-512 IFMA;
// u = (Z + Y) / (Z - Y) from the projective point, and the batch's divisions share one
// field inversion. public_keys must be as long as private_keys. False only if a result
// is the neutral point, which no clamped key gives.
bool compute_x25519_public_keys(std::span<const X25519Bytes> private_keys,
                                std::span<X25519Bytes> public_keys);

// Whether RFC 7748's test key (Alice's, section 6.1) gives its public key. Building the
// table on the way (a millisecond or two), so that the first handshake does not wait.
bool x25519_public_keys_pass_known_answer();

}  // namespace tlshop::tls
