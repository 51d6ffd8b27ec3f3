#include "pki/x509_fields.hpp"

#include <algorithm>
#include <cctype>

#include "pki/bio.hpp"
#include "pki/openssl_error.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {

std::string name_to_string(const X509_NAME* name) {
  auto bio = empty_memory_bio();
  constexpr unsigned long kFlags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  if (X509_NAME_print_ex(bio.get(), name, 0, kFlags) < 0) {
    throw_openssl_error("cannot print a name");
  }
  return bio_contents(bio.get());
}

std::string name_entry(const X509_NAME* name, int nid) {
  int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return "";
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) return "";
  std::string result(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return result;
}

UniquePtr<X509_NAME> make_name(const std::string& common_name, const std::string& organization,
                               const std::string& organizational_unit) {
  UniquePtr<X509_NAME> name(X509_NAME_new());
  auto add = [&](const char* field, const std::string& value) {
    if (X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                   0) != 1) {
      throw_openssl_error("invalid " + std::string(field) + " '" + value + "'");
    }
  };
  if (!name) throw_openssl_error("out of memory");
  // RFC 2253 prints the last entry first: add O, then OU, then CN to read "CN=...,OU=...,O=...".
  if (!organization.empty()) add("O", organization);
  if (!organizational_unit.empty()) add("OU", organizational_unit);
  add("CN", common_name);
  return name;
}

std::time_t to_time_t(const ASN1_TIME* time) {
  struct tm parts {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) throw Error("malformed time in certificate");
  return timegm(&parts);
}

std::string format_time(std::time_t time) {
  struct tm parts {};
  gmtime_r(&time, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string serial_to_hex(const ASN1_INTEGER* serial) {
  UniquePtr<BIGNUM> number(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!number) throw_openssl_error("malformed serial number");
  OpensslString hex(BN_bn2hex(number.get()));
  if (!hex) throw_openssl_error("out of memory");
  return hex.get();
}

UniquePtr<ASN1_INTEGER> serial_from_hex(std::string_view hex) {
  std::string text(hex);
  BIGNUM* raw = nullptr;
  if (text.empty() || BN_hex2bn(&raw, text.c_str()) != static_cast<int>(text.size())) {
    BN_free(raw);
    throw Error("'" + text + "' is not a hexadecimal serial number");
  }
  UniquePtr<BIGNUM> number(raw);
  UniquePtr<ASN1_INTEGER> serial(BN_to_ASN1_INTEGER(number.get(), nullptr));
  if (!serial) throw_openssl_error("out of memory");
  return serial;
}

std::string normalise_serial(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  std::string digits;
  for (char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
    digits.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return digits.empty() ? "" : "0";
  digits.erase(0, first);
  if (digits.size() % 2 != 0) digits.insert(0, "0");
  return digits;
}

std::string to_hex(const unsigned char* data, std::size_t size, bool colons) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < size; ++i) {
    if (colons && i > 0) hex.push_back(':');
    hex.push_back(kDigits[data[i] >> 4]);
    hex.push_back(kDigits[data[i] & 0xf]);
  }
  return hex;
}

}  // namespace tlshop::pki
