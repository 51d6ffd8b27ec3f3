#pragma once

// An OpenSSL provider named "tlshop" that offers one algorithm, TLS13-KDF: the key
// schedule of TLS 1.3 (RFC 8446 section 7.1) as libssl asks for it, computed by
// tls/hkdf.hpp. OpenSSL 3.0's own implementation fetches a digest and a MAC by name
// and allocates half a dozen objects per call, which made it about a seventh of the
// server's CPU for a resumed handshake; this one computes the same bytes on the stack.
//
// Registration is process-wide but changes nothing by itself: only an SSL_CTX created
// with tls13_kdf_properties() as its property query prefers it, and every other
// algorithm that SSL_CTX fetches still comes from the default provider.
namespace tlshop::tls {

// Loads the provider once (keeping OpenSSL's default provider available) and returns
// the property query that prefers it. Throws tlshop::Error if OpenSSL refuses it.
const char* tls13_kdf_properties();

}  // namespace tlshop::tls
