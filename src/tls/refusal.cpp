#include "tls/refusal.hpp"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <array>

namespace tlshop::tls {
namespace {

struct RefusalWords {
  std::string_view code;
  std::string_view text;
};

constexpr std::array<RefusalWords, 15> kWords{{
    {"no_certificate", "the peer sent no certificate"},
    {"unknown_ca", "the certificate is not from a trusted CA"},
    {"self_signed", "the certificate is self-signed"},
    {"expired", "the certificate has expired"},
    {"not_yet_valid", "the certificate is not yet valid"},
    {"revoked", "the certificate is revoked"},
    {"crl_expired", "this side's CRL is past its next update; publish a new one (tlshop ca crl)"},
    {"wrong_eku", "the certificate is not for this purpose (extended key usage)"},
    {"pin_mismatch", "the certificate's public key is not on the pin list"},
    {"protocol_version", "the peer does not speak an allowed TLS version"},
    {"bad_certificate", "the certificate could not be verified"},
    {"not_tls", "the peer did not speak TLS"},
    {"timeout", "the handshake timed out"},
    {"peer_alert", "the peer ended the handshake with an alert (it may not trust this side)"},
    {"handshake_error", "the handshake failed"},
}};

}  // namespace

std::string_view refusal_code(Refusal refusal) {
  return kWords[static_cast<std::size_t>(refusal)].code;
}

std::string_view refusal_text(Refusal refusal) {
  return kWords[static_cast<std::size_t>(refusal)].text;
}

Refusal refusal_for_verify_error(long verify_error) {
  switch (verify_error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return Refusal::kExpired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return Refusal::kNotYetValid;
    case X509_V_ERR_CERT_REVOKED:
      return Refusal::kRevoked;
    case X509_V_ERR_CRL_HAS_EXPIRED:
      return Refusal::kCrlExpired;
    case X509_V_ERR_INVALID_PURPOSE:
      return Refusal::kWrongEku;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return Refusal::kSelfSigned;
    // A chain sent up to its own root, one this side does not trust: a foreign CA.
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
      return Refusal::kUnknownCa;
    case X509_V_ERR_APPLICATION_VERIFICATION:
      return Refusal::kPinMismatch;
    default:
      return Refusal::kBadCertificate;
  }
}

bool is_alert_from_peer(unsigned long openssl_error) {
  const char* text = ERR_reason_error_string(openssl_error);
  return text != nullptr && std::string_view(text).find(" alert ") != std::string_view::npos;
}

Refusal classify_handshake_failure(const SSL* ssl, unsigned long openssl_error) {
  int reason = ERR_GET_REASON(openssl_error);
  if (ERR_GET_LIB(openssl_error) == ERR_LIB_SSL) {
    switch (reason) {
      case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
        return Refusal::kNoCertificate;
      case SSL_R_UNSUPPORTED_PROTOCOL:
      case SSL_R_NO_PROTOCOLS_AVAILABLE:
      case SSL_R_WRONG_VERSION_NUMBER:
      case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
        return reason == SSL_R_WRONG_VERSION_NUMBER ? Refusal::kNotTls : Refusal::kProtocolVersion;
      case SSL_R_HTTP_REQUEST:
      case SSL_R_HTTPS_PROXY_REQUEST:
      case SSL_R_PACKET_LENGTH_TOO_LONG:
      case SSL_R_RECORD_LENGTH_MISMATCH:
        return Refusal::kNotTls;
      case SSL_R_CERTIFICATE_VERIFY_FAILED:
        break;
      default:
        if (is_alert_from_peer(openssl_error)) return Refusal::kPeerAlert;
        if (ssl == nullptr || SSL_get_verify_result(ssl) == X509_V_OK) {
          return Refusal::kHandshakeError;
        }
    }
  }
  if (ssl != nullptr && SSL_get_verify_result(ssl) != X509_V_OK) {
    return refusal_for_verify_error(SSL_get_verify_result(ssl));
  }
  return Refusal::kHandshakeError;
}

}  // namespace tlshop::tls
