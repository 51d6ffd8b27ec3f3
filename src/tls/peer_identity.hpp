#pragma once

#include <openssl/ssl.h>

#include <string>
#include <vector>

namespace tlshop::tls {

// What a TLS connection established about the peer and the session.
struct PeerIdentity {
  std::string subject;
  std::string issuer;
  std::string serial;
  std::string not_after;       // ISO 8601
  std::string fingerprint;     // SHA-256 of the peer's DER certificate, colon-separated hex
  std::string public_key_pin;  // "sha256//BASE64" of its public key, as pins are written
  std::vector<std::string> alt_names;
  std::string tls_version;  // "TLSv1.3"
  std::string cipher;       // "TLS_AES_128_GCM_SHA256"
  bool resumed = false;
};

// Describes the peer of a completed handshake; empty certificate fields if it sent none.
PeerIdentity describe_peer(SSL* ssl);

}  // namespace tlshop::tls
