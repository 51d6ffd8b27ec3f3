#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "pki/alt_name.hpp"
#include "pki/certificate.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/private_key.hpp"

namespace tlshop::pki {

// Everything a new certificate says. The issuer decides every field: nothing here is
// copied from a request without the authority's profile choosing it.
struct CertificateTemplate {
  const X509_NAME* subject = nullptr;
  EVP_PKEY* public_key = nullptr;
  std::string serial_hex;
  std::time_t not_before = 0;
  std::time_t not_after = 0;
  bool is_ca = false;
  int path_length = -1;  // CA certificates only; -1 means unlimited
  // OpenSSL extension syntax, e.g. "critical,digitalSignature,keyEncipherment".
  std::string key_usage;
  // Comma-separated EKU short names ("serverAuth"); empty for none.
  std::string extended_key_usage;
  std::vector<AltName> alt_names;
};

// Signs a certificate with issuer_key. With issuer == nullptr the certificate is
// self-signed (a root): its issuer is its own subject.
Certificate build_certificate(const CertificateTemplate& spec, const PrivateKey& issuer_key,
                              const Certificate* issuer);

}  // namespace tlshop::pki
