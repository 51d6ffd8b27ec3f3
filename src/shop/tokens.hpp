#pragma once

#include <string>

namespace tlshop::shop {

// A new session token: 32 random bytes, base64url without padding (43 characters).
std::string new_token();

// What the store keeps of a token: its SHA-256, hex. A leaked database holds no
// usable token.
std::string token_hash(const std::string& token);

}  // namespace tlshop::shop
