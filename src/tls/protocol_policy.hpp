#pragma once

#include <openssl/ssl.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pki/certificate.hpp"

namespace tlshop::tls {

// TLS 1.3 only, or also TLS 1.2 restricted to ECDHE key exchange with AEAD ciphers;
// X25519 then P-256; no renegotiation, no compression.
void apply_protocol_policy(SSL_CTX* ctx, bool allow_tls12);
// DTLS 1.2 only (OpenSSL 3.0 has no DTLS 1.3), with the same ECDHE key exchange and AEAD
// ciphers as TLS 1.2.
void apply_datagram_protocol_policy(SSL_CTX* ctx);

// PEM text, and the name errors call it by: its file, or what a program calls it.
struct PemText {
  std::string text;
  std::string source;
  static PemText from_file(const std::filesystem::path& file);
};

// Loads a PEM chain (leaf first) and its unencrypted key as ctx's own certificate;
// throws tlshop::Error naming the source at fault. Returns the leaf.
pki::Certificate use_certificate_chain(SSL_CTX* ctx, const PemText& chain, const PemText& key);
pki::Certificate use_certificate_chain(SSL_CTX* ctx, const std::filesystem::path& chain_file,
                                       const std::filesystem::path& key_file);

// Adds every certificate of a PEM bundle to ctx's trust store; returns them.
std::vector<pki::Certificate> trust_bundle(SSL_CTX* ctx, const PemText& bundle);
std::vector<pki::Certificate> trust_bundle(SSL_CTX* ctx, const std::filesystem::path& bundle_file);

}  // namespace tlshop::tls
