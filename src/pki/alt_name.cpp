#include "pki/alt_name.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "pki/openssl_error.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

bool is_dns_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_'; });
}

bool is_printable_without_spaces(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

bool is_valid_uri(std::string_view uri) {
  auto colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || uri.size() > 1024) return false;
  if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return false;
  return is_printable_without_spaces(uri);
}

bool is_valid_email(std::string_view email) {
  auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && email.size() <= 254 &&
         is_valid_dns_name(email.substr(at + 1)) && is_printable_without_spaces(email);
}

std::string ip_to_string(const ASN1_OCTET_STRING* ip) {
  char text[INET6_ADDRSTRLEN] = {};
  int family = ip->length == 4 ? AF_INET : ip->length == 16 ? AF_INET6 : 0;
  if (family == 0 || inet_ntop(family, ip->data, text, sizeof text) == nullptr) {
    throw Error("malformed IP address in subjectAltName");
  }
  return text;
}

std::string ia5_to_string(const ASN1_IA5STRING* text) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                     static_cast<std::size_t>(ASN1_STRING_length(text)));
}

UniquePtr<GENERAL_NAME> make_general_name(const AltName& name) {
  if (name.kind == AltName::Kind::kIp) {
    UniquePtr<GENERAL_NAME> general(
        a2i_GENERAL_NAME(nullptr, nullptr, nullptr, GEN_IPADD, name.value.c_str(), 0));
    if (!general) throw_openssl_error("invalid IP address " + name.value);
    return general;
  }
  int type = name.kind == AltName::Kind::kDns   ? GEN_DNS
             : name.kind == AltName::Kind::kUri ? GEN_URI
                                                : GEN_EMAIL;
  UniquePtr<GENERAL_NAME> general(GENERAL_NAME_new());
  ASN1_IA5STRING* text = ASN1_IA5STRING_new();
  if (!general || text == nullptr ||
      ASN1_STRING_set(text, name.value.data(), static_cast<int>(name.value.size())) != 1) {
    ASN1_IA5STRING_free(text);
    throw_openssl_error("out of memory");
  }
  GENERAL_NAME_set0_value(general.get(), type, text);
  return general;
}

}  // namespace

bool is_valid_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  if (name.starts_with("*.")) name.remove_prefix(2);
  while (true) {
    auto dot = name.find('.');
    if (!is_dns_label(name.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    name.remove_prefix(dot + 1);
  }
}

bool is_ip_address(std::string_view text) {
  std::string copy(text);
  unsigned char buffer[16];
  return inet_pton(AF_INET, copy.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, copy.c_str(), buffer) == 1;
}

AltName AltName::parse(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    throw Error("subjectAltName '" + std::string(text) +
                "' must be written KIND:value (DNS:, IP:, URI: or email:)");
  }
  std::string kind(text.substr(0, colon));
  std::transform(kind.begin(), kind.end(), kind.begin(), ::toupper);
  std::string value(text.substr(colon + 1));
  if (kind == "DNS" && is_valid_dns_name(value)) return {Kind::kDns, value};
  if (kind == "IP" && is_ip_address(value)) return {Kind::kIp, value};
  if (kind == "URI" && is_valid_uri(value)) return {Kind::kUri, value};
  if (kind == "EMAIL" && is_valid_email(value)) return {Kind::kEmail, value};
  if (kind == "DNS" || kind == "IP" || kind == "URI" || kind == "EMAIL") {
    throw Error("subjectAltName '" + std::string(text) + "' is not a valid " + kind + " name");
  }
  throw Error("subjectAltName kind '" + std::string(text.substr(0, colon)) +
              "' is not supported (use DNS:, IP:, URI: or email:)");
}

std::string AltName::to_string() const {
  switch (kind) {
    case Kind::kDns:
      return "DNS:" + value;
    case Kind::kIp:
      return "IP:" + value;
    case Kind::kUri:
      return "URI:" + value;
    case Kind::kEmail:
      return "email:" + value;
  }
  return value;
}

UniquePtr<GENERAL_NAMES> to_general_names(const std::vector<AltName>& names) {
  UniquePtr<GENERAL_NAMES> general_names(GENERAL_NAMES_new());
  if (!general_names) throw_openssl_error("out of memory");
  for (const AltName& name : names) {
    UniquePtr<GENERAL_NAME> general = make_general_name(name);
    if (sk_GENERAL_NAME_push(general_names.get(), general.get()) == 0) {
      throw_openssl_error("out of memory");
    }
    general.release();
  }
  return general_names;
}

std::vector<AltName> from_general_names(const GENERAL_NAMES* names) {
  std::vector<AltName> result;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    switch (name->type) {
      case GEN_DNS:
        result.push_back({AltName::Kind::kDns, ia5_to_string(name->d.dNSName)});
        break;
      case GEN_IPADD:
        result.push_back({AltName::Kind::kIp, ip_to_string(name->d.iPAddress)});
        break;
      case GEN_URI:
        result.push_back({AltName::Kind::kUri, ia5_to_string(name->d.uniformResourceIdentifier)});
        break;
      case GEN_EMAIL:
        result.push_back({AltName::Kind::kEmail, ia5_to_string(name->d.rfc822Name)});
        break;
      default:
        throw Error("subjectAltName of an unsupported kind (only DNS, IP, URI and email are)");
    }
  }
  return result;
}

}  // namespace tlshop::pki
