#include "pki/verify_result_words.hpp"

#include <openssl/x509_vfy.h>

namespace tlshop::pki {

bool is_unknown_issuer(long result) {
  return result == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
         result == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
         result == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
         result == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
         result == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

std::string verify_result_words(long result) {
  if (is_unknown_issuer(result)) return "not issued by a trusted CA";
  switch (result) {
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "certificate is not yet valid (is this machine's clock right?)";
    case X509_V_ERR_INVALID_PURPOSE:
      return "certificate not for this use (its extended key usage)";
    case X509_V_ERR_UNABLE_TO_GET_CRL:
      return "no CRL from the certificate's issuer";
    case X509_V_ERR_CRL_HAS_EXPIRED:
      return "the CRL has expired (publish a new one: tlshop ca crl)";
    default:
      return X509_verify_cert_error_string(result);
  }
}

}  // namespace tlshop::pki
