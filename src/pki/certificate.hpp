#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "pki/alt_name.hpp"
#include "pki/openssl_handles.hpp"

namespace tlshop::pki {

class PrivateKey;

// An X.509 certificate. Copies share the same immutable OpenSSL object.
class Certificate {
 public:
  explicit Certificate(UniquePtr<X509> x509) : x509_(std::move(x509)) {}
  Certificate(const Certificate& other);
  Certificate& operator=(const Certificate& other);
  Certificate(Certificate&&) noexcept = default;
  Certificate& operator=(Certificate&&) noexcept = default;

  // Every certificate in a PEM bundle, in order; throws if there is none. `source` names
  // the input in error messages.
  static std::vector<Certificate> chain_from_pem(std::string_view pem, const std::string& source);
  static Certificate from_pem(std::string_view pem, const std::string& source);

  std::string to_pem() const;
  std::string to_der() const;
  X509* get() const { return x509_.get(); }
  EVP_PKEY* public_key() const;

  std::string subject() const;
  std::string issuer() const;
  std::string common_name() const;
  std::string serial_hex() const;
  std::time_t not_before() const;
  std::time_t not_after() const;
  bool is_ca() const;
  bool is_self_signed() const;
  std::vector<AltName> alt_names() const;
  // Lower-case colon-separated SHA-256 of the DER encoding.
  std::string sha256_fingerprint() const;
  // "sha256//BASE64" of the SubjectPublicKeyInfo, the pin form curl's --pinnedpubkey uses.
  std::string public_key_pin() const;

  bool matches(const PrivateKey& key) const;
  bool signed_by(const Certificate& issuer) const;

 private:
  UniquePtr<X509> x509_;
};

// "sha256//BASE64" of a public key's SubjectPublicKeyInfo (curl's --pinnedpubkey form).
std::string public_key_pin(EVP_PKEY* key);

// The PEM encodings of a chain, concatenated.
std::string chain_to_pem(const std::vector<Certificate>& chain);

}  // namespace tlshop::pki
