#include "tls/peer_identity.hpp"

#include "pki/certificate.hpp"
#include "pki/x509_fields.hpp"

namespace tlshop::tls {

PeerIdentity describe_peer(SSL* ssl) {
  PeerIdentity identity;
  identity.tls_version = SSL_get_version(ssl);
  identity.cipher = SSL_get_cipher_name(ssl);
  identity.resumed = SSL_session_reused(ssl) == 1;
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (peer == nullptr) return identity;
  X509_up_ref(peer);
  pki::Certificate certificate{pki::UniquePtr<X509>(peer)};
  identity.subject = certificate.subject();
  identity.issuer = certificate.issuer();
  identity.serial = certificate.serial_hex();
  identity.not_after = pki::format_time(certificate.not_after());
  identity.fingerprint = certificate.sha256_fingerprint();
  try {
    for (const pki::AltName& name : certificate.alt_names()) {
      identity.alt_names.push_back(name.to_string());
    }
  } catch (const std::exception&) {
    // A name kind tlshop does not issue: the identity simply lists none.
  }
  return identity;
}

}  // namespace tlshop::tls
