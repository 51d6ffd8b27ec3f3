#include "client/handshake_words.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "pki/verify_result_words.hpp"

namespace tlshop::client {

std::string untrusted_server_words(long verify_result, const std::filesystem::path& ca) {
  if (pki::is_unknown_issuer(verify_result)) {
    return "it was not issued by the CA in " + ca.string() +
           " (give --ca the root certificate of the CA that issued the server's)";
  }
  if (verify_result == X509_V_ERR_INVALID_PURPOSE) {
    return "it is not a server certificate (it lacks the serverAuth extended key usage)";
  }
  return pki::verify_result_words(verify_result);
}

bool is_not_tls(unsigned long openssl_error) {
  if (ERR_GET_LIB(openssl_error) != ERR_LIB_SSL) return false;
  int reason = ERR_GET_REASON(openssl_error);
  return reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
         reason == SSL_R_RECORD_LENGTH_MISMATCH || reason == SSL_R_UNEXPECTED_RECORD;
}

}  // namespace tlshop::client
