#include "tls/peer_identity.hpp"

#include <memory>
#include <mutex>

#include "pki/certificate.hpp"
#include "pki/x509_fields.hpp"

namespace tlshop::tls {
namespace {

// What the peer's certificate says; the TLS fields are left empty.
PeerIdentity certificate_facts(X509* peer) {
  PeerIdentity identity;
  X509_up_ref(peer);
  pki::Certificate certificate{pki::UniquePtr<X509>(peer)};
  identity.subject = certificate.subject();
  identity.issuer = certificate.issuer();
  identity.serial = certificate.serial_hex();
  identity.not_after = pki::format_time(certificate.not_after());
  identity.fingerprint = certificate.sha256_fingerprint();
  if (EVP_PKEY* key = X509_get0_pubkey(peer)) identity.public_key_pin = pki::public_key_pin(key);
  try {
    for (const pki::AltName& name : certificate.alt_names()) {
      identity.alt_names.push_back(name.to_string());
    }
  } catch (const std::exception&) {
    // A name kind tlshop does not issue: the identity simply lists none.
  }
  return identity;
}

void free_facts(void*, void* facts, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<PeerIdentity*>(facts);
}

int facts_index() {
  static const int index = X509_get_ex_new_index(0, nullptr, nullptr, nullptr, free_facts);
  return index;
}

std::mutex facts_mutex;

// A resumed session brings back the certificate object of its full handshake: its
// facts are worked out once, on the first resumption, and kept with it. A full
// handshake's certificate is new, and keeps nothing extra.
PeerIdentity remembered_certificate_facts(X509* peer) {
  {
    std::lock_guard lock(facts_mutex);
    if (auto* facts = static_cast<const PeerIdentity*>(X509_get_ex_data(peer, facts_index()))) {
      return *facts;
    }
  }
  PeerIdentity computed = certificate_facts(peer);
  std::lock_guard lock(facts_mutex);
  if (X509_get_ex_data(peer, facts_index()) == nullptr) {
    auto kept = std::make_unique<PeerIdentity>(computed);
    if (X509_set_ex_data(peer, facts_index(), kept.get()) == 1) kept.release();
  }
  return computed;
}

}  // namespace

PeerIdentity describe_peer(SSL* ssl) {
  bool resumed = SSL_session_reused(ssl) == 1;
  X509* peer = SSL_get0_peer_certificate(ssl);
  PeerIdentity identity;
  if (peer != nullptr) {
    identity = resumed ? remembered_certificate_facts(peer) : certificate_facts(peer);
  }
  identity.tls_version = SSL_get_version(ssl);
  identity.cipher = SSL_get_cipher_name(ssl);
  identity.resumed = resumed;
  return identity;
}

}  // namespace tlshop::tls
