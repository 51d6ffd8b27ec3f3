#include "shop/passwords.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "shop/shop_error.hpp"

namespace tlshop::shop {
namespace {

// The most common passwords of 8 characters or more in public breach corpora.
constexpr std::array<std::string_view, 40> kCommonPasswords{
    "password",   "12345678",  "123456789",  "1234567890", "password1",     "password123",
    "qwertyuiop", "qwerty123", "iloveyou",   "sunshine",   "princess",      "football",
    "baseball",   "welcome1",  "welcome123", "admin123",   "administrator", "letmein1",
    "11111111",   "00000000",  "abc12345",   "abcd1234",   "1q2w3e4r",      "1qaz2wsx",
    "qwertyui",   "trustno1",  "superman",   "starwars",   "passw0rd",      "p@ssw0rd",
    "changeme",   "computer",  "internet",   "whatever",   "zaq12wsx",      "q1w2e3r4",
    "asdfghjk",   "88888888",  "87654321",   "shopping",
};

void initialise_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw Error("libsodium could not be initialised");
}

}  // namespace

void check_password_policy(const std::string& password) {
  if (password.size() < 8) {
    throw ShopError(ShopError::Kind::kInvalid, "weak_password",
                    "the password must have at least 8 characters");
  }
  if (password.size() > 256) {
    throw ShopError(ShopError::Kind::kInvalid, "weak_password",
                    "the password must have at most 256 characters");
  }
  std::string lower(password);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lower) !=
      kCommonPasswords.end()) {
    throw ShopError(ShopError::Kind::kInvalid, "weak_password",
                    "the password is one of the most common passwords; choose another");
  }
}

std::string hash_password(const std::string& password, HashCost cost) {
  initialise_sodium();
  char hash[crypto_pwhash_STRBYTES];
  unsigned long long ops =
      cost == HashCost::kMinimal ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  std::size_t memory =
      cost == HashCost::kMinimal ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), ops, memory,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error("cannot hash a password: out of memory");
  }
  return hash;
}

bool verify_password(const std::string& password, const std::string& hash) {
  initialise_sodium();
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace tlshop::shop
