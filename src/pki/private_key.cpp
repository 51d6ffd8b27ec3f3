#include "pki/private_key.hpp"

#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstring>

#include "pki/bio.hpp"
#include "pki/openssl_error.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

struct PasswordSource {
  const std::optional<std::string>* password;
  bool asked = false;
};

int password_callback(char* buffer, int size, int /*rwflag*/, void* user_data) {
  auto* source = static_cast<PasswordSource*>(user_data);
  source->asked = true;
  if (!source->password->has_value()) return -1;
  const std::string& password = **source->password;
  if (password.size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buffer, password.data(), password.size());
  return static_cast<int>(password.size());
}

struct KeyTypeName {
  KeyType type;
  std::string_view name;         // on the command line
  std::string_view description;  // as describe_key() puts it
};
constexpr KeyTypeName kKeyTypes[] = {
    {KeyType::kEcP256, "ec-p256", "EC P-256"},   {KeyType::kEcP384, "ec-p384", "EC P-384"},
    {KeyType::kEd25519, "ed25519", "Ed25519"},   {KeyType::kRsa3072, "rsa-3072", "RSA 3072"},
    {KeyType::kRsa4096, "rsa-4096", "RSA 4096"},
};

}  // namespace

std::optional<KeyType> parse_key_type(std::string_view name) {
  for (const KeyTypeName& known : kKeyTypes) {
    if (known.name == name) return known.type;
  }
  return std::nullopt;
}

std::string_view key_type_name(KeyType type) {
  for (const KeyTypeName& known : kKeyTypes) {
    if (known.type == type) return known.name;
  }
  return "unknown";
}

std::optional<KeyType> key_type_of(const EVP_PKEY* key) {
  std::string description = describe_key(key);
  for (const KeyTypeName& known : kKeyTypes) {
    if (known.description == description) return known.type;
  }
  return std::nullopt;
}

std::string describe_key(const EVP_PKEY* key) {
  // A certificate or request whose key OpenSSL cannot decode has none to describe.
  if (key == nullptr) return "undecodable";
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t length = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof group, &length) != 1) return "EC";
      std::string name(group, length);
      if (name == "prime256v1") return "EC P-256";
      if (name == "secp384r1") return "EC P-384";
      if (name == "secp521r1") return "EC P-521";
      return "EC " + name;
    }
    case EVP_PKEY_ED25519:
      return "Ed25519";
    case EVP_PKEY_ED448:
      return "Ed448";
    case EVP_PKEY_RSA:
      return "RSA " + std::to_string(EVP_PKEY_get_bits(key));
    default:
      return OBJ_nid2sn(EVP_PKEY_get_base_id(key));
  }
}

const EVP_MD* signing_digest(const EVP_PKEY* key) {
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) return nullptr;
  // A digest as strong as the curve (RFC 5480): SHA-384 for P-384.
  return key_type_of(key) == KeyType::kEcP384 ? EVP_sha384() : EVP_sha256();
}

PrivateKey PrivateKey::generate(KeyType type) {
  EVP_PKEY* key = nullptr;
  switch (type) {
    case KeyType::kEcP256:
      key = EVP_EC_gen("P-256");
      break;
    case KeyType::kEcP384:
      key = EVP_EC_gen("P-384");
      break;
    case KeyType::kEd25519:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
    case KeyType::kRsa3072:
      key = EVP_RSA_gen(3072);
      break;
    case KeyType::kRsa4096:
      key = EVP_RSA_gen(4096);
      break;
  }
  if (key == nullptr) throw_openssl_error("cannot generate a key");
  return PrivateKey(UniquePtr<EVP_PKEY>(key));
}

PrivateKey PrivateKey::from_pem(std::string_view pem, const std::optional<std::string>& password,
                                const std::string& source) {
  bool encrypted = is_encrypted_pem_key(pem);
  if (encrypted && !password) {
    throw EncryptedKeyError(source + " is encrypted");
  }
  auto bio = memory_bio(pem);
  PasswordSource passwords{&password};
  UniquePtr<EVP_PKEY> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback, &passwords));
  if (!key) {
    take_openssl_error();
    if (encrypted) throw Error("wrong password for " + source);
    throw Error(source + " is not a PEM private key");
  }
  return PrivateKey(std::move(key));
}

std::string PrivateKey::to_pem(const std::optional<std::string>& password) const {
  auto bio = empty_memory_bio();
  int ok = 0;
  if (password) {
    ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), EVP_aes_256_cbc(),
                                       const_cast<char*>(password->data()),
                                       static_cast<int>(password->size()), nullptr, nullptr);
  } else {
    ok = PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  }
  if (ok != 1) throw_openssl_error("cannot encode a private key");
  return bio_contents(bio.get());
}

bool PrivateKey::is_rsa() const { return EVP_PKEY_get_base_id(key_.get()) == EVP_PKEY_RSA; }

bool is_encrypted_pem_key(std::string_view pem) {
  return pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos ||
         pem.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos;
}

}  // namespace tlshop::pki
