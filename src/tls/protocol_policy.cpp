#include "tls/protocol_policy.hpp"

#include "base/files.hpp"
#include "pki/openssl_error.hpp"
#include "pki/private_key.hpp"
#include "tlshop/error.hpp"

namespace tlshop::tls {

namespace {

// AES-128-GCM first, as most TLS 1.3 stacks prefer: its SHA-256 transcript and key
// schedule run on the CPU's SHA extensions, where OpenSSL's default first choice,
// AES-256-GCM with SHA-384, hashes in software.
constexpr const char* kTls13Ciphersuites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

// The same preference for DTLS 1.2: AES-128-GCM, then the rest of ECDHE with AEAD.
constexpr const char* kDatagramCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE+AESGCM:ECDHE+CHACHA20";

}  // namespace

void apply_protocol_policy(SSL_CTX* ctx, bool allow_tls12) {
  if (SSL_CTX_set_min_proto_version(ctx, allow_tls12 ? TLS1_2_VERSION : TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set1_groups_list(ctx, "X25519:P-256") != 1 ||
      SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1 ||
      SSL_CTX_set_ciphersuites(ctx, kTls13Ciphersuites) != 1) {
    pki::throw_openssl_error("cannot apply the TLS protocol policy");
  }
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
}

void apply_datagram_protocol_policy(SSL_CTX* ctx) {
  if (SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set1_groups_list(ctx, "X25519:P-256") != 1 ||
      SSL_CTX_set_cipher_list(ctx, kDatagramCiphers) != 1) {
    pki::throw_openssl_error("cannot apply the DTLS protocol policy");
  }
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
}

PemText PemText::from_file(const std::filesystem::path& file) {
  return {read_file(file), file.string()};
}

pki::Certificate use_certificate_chain(SSL_CTX* ctx, const PemText& chain_pem,
                                       const PemText& key_pem) {
  std::vector<pki::Certificate> chain =
      pki::Certificate::chain_from_pem(chain_pem.text, chain_pem.source);
  pki::PrivateKey key = pki::PrivateKey::from_pem(key_pem.text, std::nullopt, key_pem.source);
  if (!chain.front().matches(key)) {
    throw Error(key_pem.source + " does not match the certificate in " + chain_pem.source);
  }
  if (SSL_CTX_use_certificate(ctx, chain.front().get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) {
    pki::throw_openssl_error("cannot use " + chain_pem.source);
  }
  for (std::size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, chain[i].get()) != 1) {
      pki::throw_openssl_error("cannot use the chain in " + chain_pem.source);
    }
  }
  // The given chain is what is sent (or less, see the client's certificate callback):
  // without this, a connection whose chain was dropped would rebuild one from the
  // trust store, a full chain verification per handshake.
  if (chain.size() > 1) SSL_CTX_set_mode(ctx, SSL_MODE_NO_AUTO_CHAIN);
  return chain.front();
}

pki::Certificate use_certificate_chain(SSL_CTX* ctx, const std::filesystem::path& chain_file,
                                       const std::filesystem::path& key_file) {
  return use_certificate_chain(ctx, PemText::from_file(chain_file), PemText::from_file(key_file));
}

std::vector<pki::Certificate> trust_bundle(SSL_CTX* ctx, const PemText& bundle_pem) {
  std::vector<pki::Certificate> bundle =
      pki::Certificate::chain_from_pem(bundle_pem.text, bundle_pem.source);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (const pki::Certificate& certificate : bundle) {
    if (!certificate.is_ca()) {
      throw Error(bundle_pem.source + " holds " + certificate.subject() +
                  ", which is not a CA certificate");
    }
    if (X509_STORE_add_cert(store, certificate.get()) != 1) {
      pki::throw_openssl_error("cannot trust " + bundle_pem.source);
    }
  }
  return bundle;
}

std::vector<pki::Certificate> trust_bundle(SSL_CTX* ctx, const std::filesystem::path& bundle_file) {
  return trust_bundle(ctx, PemText::from_file(bundle_file));
}

}  // namespace tlshop::tls
