#include "tlshop/client_error.hpp"

namespace tlshop::client {
namespace {

class ClientErrorCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "tlshop.client"; }
  std::string message(int value) const override {
    switch (static_cast<ClientErrorKind>(value)) {
      case ClientErrorKind::kConfiguration:
        return "a certificate, key or CA is missing or unusable";
      case ClientErrorKind::kUnreachable:
        return "the server cannot be reached";
      case ClientErrorKind::kTimeout:
        return "the server took too long";
      case ClientErrorKind::kRefusedByServer:
        return "the server refused this client's certificate";
      case ClientErrorKind::kUntrustedServer:
        return "the server's certificate is not trusted";
      case ClientErrorKind::kHostnameMismatch:
        return "the server's certificate is not for this host";
      case ClientErrorKind::kPinMismatch:
        return "the server's public key is not the pinned one";
      case ClientErrorKind::kProtocol:
        return "the server does not speak the tlshop API";
      case ClientErrorKind::kServerError:
        return "the server answered with an error";
      case ClientErrorKind::kCancelled:
        return "the call was cancelled";
    }
    return "unknown tlshop client error";
  }
};

}  // namespace

const std::error_category& client_error_category() {
  static const ClientErrorCategory category;
  return category;
}

std::error_code make_error_code(ClientErrorKind kind) {
  return {static_cast<int>(kind), client_error_category()};
}

}  // namespace tlshop::client
