#pragma once

#include <openssl/ssl.h>

#include <set>
#include <string>
#include <vector>

namespace tlshop::tls {

// An allow list of public keys, each written "sha256//BASE64" as curl's --pinnedpubkey
// takes them. An empty set allows every key.
class PinSet {
 public:
  PinSet() = default;
  // Throws tlshop::Error on a pin that is not sha256// followed by 44 base64 characters.
  explicit PinSet(const std::vector<std::string>& pins);

  bool empty() const { return pins_.empty(); }
  bool allows(X509* certificate) const;

 private:
  std::set<std::string> pins_;
};

}  // namespace tlshop::tls
