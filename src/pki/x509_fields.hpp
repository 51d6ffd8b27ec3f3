#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "pki/openssl_handles.hpp"

namespace tlshop::pki {

// "CN=alice,O=tlshop" (RFC 2253 order: most specific first; UTF-8 kept as is).
std::string name_to_string(const X509_NAME* name);

// The first entry of a kind (NID_commonName, NID_organizationName, ...) in a name, or "".
std::string name_entry(const X509_NAME* name, int nid);
inline std::string common_name_of(const X509_NAME* name) {
  return name_entry(name, NID_commonName);
}

// A name with a commonName and, if not empty, an organizationName.
UniquePtr<X509_NAME> make_name(const std::string& common_name, const std::string& organization,
                               const std::string& organizational_unit = {});

std::time_t to_time_t(const ASN1_TIME* time);

// "2026-11-22T01:47:40Z".
std::string format_time(std::time_t time);

// Upper-case hex without separators, as `openssl x509 -serial` prints it.
std::string serial_to_hex(const ASN1_INTEGER* serial);
UniquePtr<ASN1_INTEGER> serial_from_hex(std::string_view hex);

// Normalises a serial typed by a person ("0x", colons, lower case) to serial_to_hex's form;
// returns "" if it is not a hex number.
std::string normalise_serial(std::string_view text);

// Lower-case hex of bytes, colon-separated if asked.
std::string to_hex(const unsigned char* data, std::size_t size, bool colons = false);

}  // namespace tlshop::pki
