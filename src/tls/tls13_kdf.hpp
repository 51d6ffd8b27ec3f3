#pragma once

#include <openssl/core.h>

namespace tlshop::tls {

// TLS13-KDF, the key schedule of TLS 1.3 (RFC 8446 section 7.1) as libssl asks for it:
// HKDF-Extract of a secret salted with the previous one, or HKDF-Expand-Label, with
// OpenSSL's parameters and refusals, computed by tls/hkdf.hpp. OpenSSL 3.0's own
// fetches a digest and a MAC by name and allocates half a dozen objects per call.
const OSSL_DISPATCH* tls13_kdf_functions();

}  // namespace tlshop::tls
