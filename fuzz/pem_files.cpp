// What `tlshop ca inspect`, `sign` and `verify` read: PEM files of certificates, CSRs and
// CRLs. The first byte picks the form: the rest as PEM text, or as DER that is wrapped
// in PEM armour with one of the three labels, so that the fuzzer reaches the DER
// parsers with bytes it chose.
#include <openssl/evp.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "ca/inspection.hpp"
#include "pki/certificate.hpp"
#include "pki/certificate_request.hpp"
#include "pki/revocation_list.hpp"
#include "tlshop/error.hpp"

namespace {

std::string armoured(std::string_view der, std::string_view label) {
  std::string base64(4 * ((der.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()),
                               reinterpret_cast<const unsigned char*>(der.data()),
                               static_cast<int>(der.size()));
  base64.resize(static_cast<std::size_t>(length));
  std::string pem = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t at = 0; at < base64.size(); at += 64) pem += base64.substr(at, 64) + "\n";
  return pem + "-----END " + std::string(label) + "-----\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr std::string_view kLabels[] = {"CERTIFICATE", "CERTIFICATE REQUEST", "X509 CRL"};
  int form = data[0] % 4;
  std::string pem = form == 0 ? std::string(rest) : armoured(rest, kLabels[form - 1]);
  try {
    tlshop::ca::render_inspection(tlshop::ca::inspect_pem(pem, "fuzz.pem"));
  } catch (const tlshop::Error&) {
  }
  try {
    for (const auto& certificate : tlshop::pki::Certificate::chain_from_pem(pem, "fuzz.pem")) {
      certificate.subject();
      certificate.alt_names();
      certificate.sha256_fingerprint();
    }
  } catch (const tlshop::Error&) {
  }
  try {
    tlshop::pki::CertificateRequest::from_pem(pem, "fuzz.csr");
  } catch (const tlshop::Error&) {
  }
  try {
    tlshop::pki::RevocationList::all_from_pem(pem, "fuzz.crl");
  } catch (const tlshop::Error&) {
  }
  return 0;
}
