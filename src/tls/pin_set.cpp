#include "tls/pin_set.hpp"

#include <algorithm>
#include <cctype>

#include "pki/certificate.hpp"
#include "tlshop/error.hpp"

namespace tlshop::tls {
namespace {

bool is_well_formed(const std::string& pin) {
  constexpr std::string_view kPrefix = "sha256//";
  if (!pin.starts_with(kPrefix) || pin.size() != kPrefix.size() + 44 || pin.back() != '=') {
    return false;
  }
  return std::all_of(pin.begin() + kPrefix.size(), pin.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '+' || c == '/' || c == '=';
  });
}

}  // namespace

PinSet::PinSet(const std::vector<std::string>& pins) {
  for (const std::string& pin : pins) {
    if (!is_well_formed(pin)) {
      throw Error("pin '" + pin + "' must be sha256// followed by a base64 SHA-256 digest");
    }
    pins_.insert(pin);
  }
}

bool PinSet::allows(X509* certificate) const {
  if (pins_.empty()) return true;
  EVP_PKEY* key = X509_get0_pubkey(certificate);
  return key != nullptr && pins_.count(pki::public_key_pin(key)) != 0;
}

}  // namespace tlshop::tls
