#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pki/openssl_handles.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {

enum class KeyType { kEcP256, kEcP384, kEd25519, kRsa3072, kRsa4096 };

// An encrypted key read without a password: the program says how to give one.
class EncryptedKeyError : public Error {
 public:
  using Error::Error;
};

// "ec-p256", "ec-p384", "ed25519", "rsa-3072", "rsa-4096".
std::optional<KeyType> parse_key_type(std::string_view name);
std::string_view key_type_name(KeyType type);
// The type of an existing key, if it is one tlshop makes.
std::optional<KeyType> key_type_of(const EVP_PKEY* key);

// A readable name for a key's algorithm and size: "EC P-256", "Ed25519", "RSA 3072".
std::string describe_key(const EVP_PKEY* key);

// The digest to sign with a key: SHA-256, or none for Ed25519 (which hashes internally).
const EVP_MD* signing_digest(const EVP_PKEY* key);

class PrivateKey {
 public:
  explicit PrivateKey(UniquePtr<EVP_PKEY> key) : key_(std::move(key)) {}

  static PrivateKey generate(KeyType type);

  // Parses a PEM private key. An encrypted key needs its password; `source` names the
  // key in error messages ("wrong password for <source>").
  static PrivateKey from_pem(std::string_view pem, const std::optional<std::string>& password,
                             const std::string& source);

  // PKCS#8 PEM; encrypted with AES-256-CBC when a password is given.
  std::string to_pem(const std::optional<std::string>& password = std::nullopt) const;

  EVP_PKEY* get() const { return key_.get(); }
  bool is_rsa() const;

 private:
  UniquePtr<EVP_PKEY> key_;
};

// True if a PEM private key is stored encrypted.
bool is_encrypted_pem_key(std::string_view pem);

}  // namespace tlshop::pki
