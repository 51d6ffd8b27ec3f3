#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "pki/certificate.hpp"
#include "pki/revocation_list.hpp"

namespace tlshop::pki {

enum class Purpose { kAny, kServer, kClient };

struct ChainVerdict {
  bool valid = false;
  // OpenSSL's X509_V_ERR_* code, X509_V_OK when valid.
  int error = 0;
  // Why not, in words ("certificate revoked"); empty when valid.
  std::string reason;
  // The certificate the failure is about (0 = the leaf).
  int depth = 0;
};

struct TrustSettings {
  std::vector<Certificate> anchors;
  std::vector<Certificate> intermediates;
  // Checked against the leaf when present: a CRL issued by the leaf's issuer.
  std::vector<RevocationList> crls;
  Purpose purpose = Purpose::kAny;
  // Verify as of this time instead of now (for tests and for "valid on" questions).
  std::optional<std::time_t> at;
};

// Verifies chain (leaf first, then any intermediates it came with) against the trust
// settings: signatures, validity periods, CA flags, the purpose's EKU and the CRLs.
ChainVerdict verify_chain(const std::vector<Certificate>& chain, const TrustSettings& trust);

}  // namespace tlshop::pki
