#include "client/handshake_words.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "pki/verify_result_words.hpp"
#include "tls/refusal.hpp"

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

std::string alert_words(unsigned long openssl_error) {
  const char* reason = ERR_reason_error_string(openssl_error);
  std::string text = reason != nullptr ? reason : "unknown error";
  for (std::string_view prefix : {"sslv3 alert ", "tlsv13 alert ", "tlsv1 alert "}) {
    if (text.starts_with(prefix)) return text.substr(prefix.size());
  }
  return text;
}

bool is_alert(unsigned long openssl_error) { return tls::is_alert_from_peer(openssl_error); }

ClientError handshake_error(const ConnectionSettings& settings, long verify_result,
                            unsigned long openssl_error, const std::string& failure) {
  std::string server = settings.server();
  if (verify_result == X509_V_ERR_HOSTNAME_MISMATCH ||
      verify_result == X509_V_ERR_IP_ADDRESS_MISMATCH) {
    return ClientError(ClientErrorKind::kHostnameMismatch,
                       "the certificate of " + server + " is not for " + settings.host);
  }
  if (verify_result == X509_V_ERR_APPLICATION_VERIFICATION) {
    return ClientError(ClientErrorKind::kPinMismatch,
                       "the public key of " + server + " does not match the pinned key");
  }
  if (verify_result != X509_V_OK) {
    return ClientError(ClientErrorKind::kUntrustedServer,
                       "the certificate of " + server + " is not trusted: " +
                           untrusted_server_words(verify_result, settings.ca));
  }
  if (openssl_error != 0 && is_not_tls(openssl_error)) {
    return ClientError(ClientErrorKind::kProtocol,
                       "the server at " + server + " does not speak TLS (is it plain HTTP?)");
  }
  if (openssl_error != 0 && is_alert(openssl_error)) {
    return ClientError(ClientErrorKind::kRefusedByServer,
                       server + " refused the connection: " + alert_words(openssl_error));
  }
  return ClientError(ClientErrorKind::kProtocol,
                     "TLS handshake with " + server + " failed: " + failure);
}

}  // namespace tlshop::client
