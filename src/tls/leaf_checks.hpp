#pragma once

#include <openssl/ssl.h>

#include <cstdint>

#include "tls/pin_set.hpp"

namespace tlshop::tls {

// What the peer's own certificate must satisfy beyond a valid chain: an extended key
// usage that is present (OpenSSL alone accepts a certificate without any) and, if
// pins are set, a pinned public key.
struct LeafChecks {
  std::uint32_t required_eku = 0;  // XKU_SSL_CLIENT or XKU_SSL_SERVER
  PinSet pins;
};

// X509_V_OK if leaf passes checks, else the X509_V_ERR_* its failure stands for.
int leaf_check_error(const LeafChecks& checks, X509* leaf);

// Runs checks on the leaf of every handshake on ctx; a wrong EKU fails with
// X509_V_ERR_INVALID_PURPOSE, a pin mismatch with X509_V_ERR_APPLICATION_VERIFICATION.
// checks must outlive every use of ctx.
void install_leaf_checks(SSL_CTX* ctx, const LeafChecks* checks);

// The certificate the peer presented on a connection whose context has leaf checks,
// whether or not it was accepted; nullptr if it presented none.
X509* presented_certificate(const SSL* ssl);

}  // namespace tlshop::tls
