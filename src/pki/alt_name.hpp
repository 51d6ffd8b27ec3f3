#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pki/openssl_handles.hpp"

namespace tlshop::pki {

// One subjectAltName entry, written as OpenSSL and curl write it: "DNS:shop.example",
// "IP:127.0.0.1", "URI:urn:tlshop:client:alice", "email:alice@example.org".
struct AltName {
  enum class Kind { kDns, kIp, kUri, kEmail };
  Kind kind;
  std::string value;

  // Parses and validates "KIND:value"; throws tlshop::Error naming what is wrong.
  static AltName parse(std::string_view text);
  std::string to_string() const;

  friend bool operator==(const AltName&, const AltName&) = default;
};

bool is_valid_dns_name(std::string_view name);
bool is_ip_address(std::string_view text);

UniquePtr<GENERAL_NAMES> to_general_names(const std::vector<AltName>& names);

// Reads names of the four supported kinds; throws tlshop::Error on any other kind.
std::vector<AltName> from_general_names(const GENERAL_NAMES* names);

}  // namespace tlshop::pki
