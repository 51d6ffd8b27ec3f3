#include "pki/openssl_error.hpp"

#include <openssl/err.h>

#include "tlshop/error.hpp"

namespace tlshop::pki {

std::string take_openssl_error() {
  unsigned long last = 0;
  while (unsigned long code = ERR_get_error()) last = code;
  if (last == 0) return "";
  const char* reason = ERR_reason_error_string(last);
  return reason != nullptr ? reason : "OpenSSL error " + std::to_string(last);
}

void throw_openssl_error(const std::string& what) {
  std::string reason = take_openssl_error();
  throw Error(reason.empty() ? what : what + ": " + reason);
}

}  // namespace tlshop::pki
