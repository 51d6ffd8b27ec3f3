#pragma once

#include <string>
#include <system_error>

#include "tlshop/error.hpp"

namespace tlshop::client {

// What went wrong, for programs that react differently to each.
enum class ClientErrorKind {
  kConfiguration,     // a certificate, key or CA file is missing or unusable
  kUnreachable,       // no TCP connection: nothing listens, host unknown, network down
  kTimeout,           // connecting, the handshake or a request took too long
  kRefusedByServer,   // the server refused this client's certificate at the handshake
  kUntrustedServer,   // the server's certificate does not chain to the trusted CA
  kHostnameMismatch,  // the server's certificate is not for the host connected to
  kPinMismatch,       // the server's public key is not the pinned one
  kProtocol,          // the server spoke something that is not the tlshop API
  kServerError,       // the server answered with an HTTP error (status() and code())
  kCancelled,         // the client was closed before the call completed
};

// ClientErrorKind as std::error_code values, category "tlshop.client", so that programs
// can compare and carry them as they do system errors: error_code == kTimeout.
const std::error_category& client_error_category();
std::error_code make_error_code(ClientErrorKind kind);

class ClientError : public Error {
 public:
  ClientError(ClientErrorKind kind, const std::string& message, unsigned status = 0,
              std::string code = {})
      : Error(message), kind_(kind), status_(status), code_(std::move(code)) {}

  ClientErrorKind kind() const { return kind_; }
  std::error_code error_code() const { return make_error_code(kind_); }
  // For kServerError: the HTTP status and the API's error code ("payload_too_large").
  unsigned status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  ClientErrorKind kind_;
  unsigned status_;
  std::string code_;
};

}  // namespace tlshop::client

template <>
struct std::is_error_code_enum<tlshop::client::ClientErrorKind> : std::true_type {};
