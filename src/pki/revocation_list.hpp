#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pki/certificate.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/private_key.hpp"

namespace tlshop::pki {

// RFC 5280 CRLReason codes under the names OpenSSL and RFC 5280 use ("keyCompromise").
std::optional<int> parse_revocation_reason(std::string_view name);
std::string revocation_reason_name(int reason);
std::vector<std::string> revocation_reason_names();

struct RevokedCertificate {
  std::string serial_hex;
  std::time_t revoked_at = 0;
  int reason = 0;  // CRL_REASON_UNSPECIFIED
};

// A signed X.509 v2 certificate revocation list.
class RevocationList {
 public:
  explicit RevocationList(UniquePtr<X509_CRL> crl) : crl_(std::move(crl)) {}

  struct Contents {
    std::vector<RevokedCertificate> revoked;
    std::uint64_t number = 1;
    std::time_t this_update = 0;
    std::time_t next_update = 0;
  };
  static RevocationList issue(const Certificate& issuer, const PrivateKey& issuer_key,
                              const Contents& contents);
  static RevocationList from_pem(std::string_view pem, const std::string& source);
  // Every CRL in a PEM bundle (one per issuing CA), in order; throws if there is none.
  static std::vector<RevocationList> all_from_pem(std::string_view pem, const std::string& source);

  std::string to_pem() const;
  X509_CRL* get() const { return crl_.get(); }

  std::string issuer() const;
  std::time_t this_update() const;
  std::optional<std::time_t> next_update() const;
  std::optional<std::uint64_t> number() const;
  std::vector<RevokedCertificate> revoked() const;
  bool signed_by(const Certificate& issuer) const;

 private:
  UniquePtr<X509_CRL> crl_;
};

}  // namespace tlshop::pki
