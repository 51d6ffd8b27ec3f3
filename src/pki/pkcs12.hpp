#pragma once

#include <string>
#include <vector>

#include "pki/certificate.hpp"
#include "pki/private_key.hpp"

namespace tlshop::pki {

// A password-protected PKCS#12 file (DER) holding a key, its certificate and the rest of
// its chain, protected with AES-256-CBC, PBKDF2 and an HMAC-SHA256 MAC.
std::string make_pkcs12(const PrivateKey& key, const std::vector<Certificate>& chain,
                        const std::string& password, const std::string& friendly_name);

}  // namespace tlshop::pki
