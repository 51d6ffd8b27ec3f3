#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pki/alt_name.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/private_key.hpp"

namespace tlshop::pki {

// A PKCS#10 certificate signing request.
class CertificateRequest {
 public:
  explicit CertificateRequest(UniquePtr<X509_REQ> request) : request_(std::move(request)) {}

  // A request for CN=common_name with the given subjectAltNames, signed by key.
  static CertificateRequest create(const PrivateKey& key, const std::string& common_name,
                                   const std::vector<AltName>& alt_names);
  static CertificateRequest from_pem(std::string_view pem, const std::string& source);

  std::string to_pem() const;
  X509_REQ* get() const { return request_.get(); }
  EVP_PKEY* public_key() const;

  // True if the request is signed by the private key matching its public key.
  bool signature_is_valid() const;
  const X509_NAME* subject_name() const;
  std::string subject() const;
  // The subjectAltNames the requester asked for; throws on kinds tlshop does not issue.
  std::vector<AltName> requested_alt_names() const;
  // Short names of every extension requested ("basicConstraints", "subjectAltName", ...).
  std::vector<std::string> requested_extensions() const;

 private:
  UniquePtr<X509_REQ> request_;
};

}  // namespace tlshop::pki
