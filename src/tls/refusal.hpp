#pragma once

#include <openssl/ssl.h>

#include <string_view>

namespace tlshop::tls {

// Why a TLS peer was refused, in the words the audit log and metrics use.
enum class Refusal {
  kNoCertificate,
  kUnknownCa,
  kSelfSigned,
  kExpired,
  kNotYetValid,
  kRevoked,
  kCrlExpired,
  kWrongEku,
  kPinMismatch,
  kProtocolVersion,
  kBadCertificate,
  kNotTls,
  kTimeout,
  kPeerAlert,
  kHandshakeError,
};

// "no_certificate", "unknown_ca", "self_signed", "expired", ...
std::string_view refusal_code(Refusal refusal);
// "the client sent no certificate", ...
std::string_view refusal_text(Refusal refusal);

// Classifies a failed server-side handshake from the verify result OpenSSL kept on
// the connection and the reason of the OpenSSL error that ended it.
Refusal classify_handshake_failure(const SSL* ssl, unsigned long openssl_error);

// True if an OpenSSL error is a TLS alert the peer sent ("sslv3 alert bad certificate").
bool is_alert_from_peer(unsigned long openssl_error);

// The refusal a certificate verification error (X509_V_ERR_*) stands for.
Refusal refusal_for_verify_error(long verify_error);

}  // namespace tlshop::tls
