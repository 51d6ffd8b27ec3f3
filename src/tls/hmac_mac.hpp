#pragma once

#include <openssl/core.h>

namespace tlshop::tls {

// HMAC over SHA-256 and SHA-384 for OpenSSL's EVP_MAC interface, computed by
// tls/hkdf.hpp: libssl's Finished MACs, and the PSK binder through OpenSSL's
// HMAC signature. OpenSSL 3.0's own fetches the digest by name and allocates several
// contexts for each. Other digests, and the record layer's "tls-data-size" mode, are
// refused.
const OSSL_DISPATCH* hmac_mac_functions();

}  // namespace tlshop::tls
