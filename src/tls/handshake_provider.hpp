#pragma once

// An OpenSSL provider named "tlshop" for the parts of a TLS 1.3 server's handshake where
// OpenSSL 3.0's own implementation costs far more than the arithmetic:
// - TLS13-KDF, the key schedule (tls/tls13_kdf.hpp), a seventh of the server's CPU per
//   resumed handshake with OpenSSL's;
// - HMAC (tls/hmac_mac.hpp), for the Finished messages and the PSK binder;
// - X25519 (tls/x25519_keys.hpp), whose key generation takes half as long as
//   OpenSSL's (a fifth of that CPU).
// The same bytes and the same refusals as OpenSSL's, tested against them.
//
// Registration is process-wide but changes nothing by itself: only an SSL_CTX created
// with handshake_provider_properties() as its property query prefers these, and every
// other algorithm that SSL_CTX fetches still comes from OpenSSL's default provider.
namespace tlshop::tls {

// Loads the provider once (keeping OpenSSL's default provider available) and returns
// the property query that prefers it. Throws tlshop::Error if OpenSSL refuses it.
const char* handshake_provider_properties();

}  // namespace tlshop::tls
