#include "tls/ticket_keys.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <sstream>

#include "base/files.hpp"
#include "pki/openssl_error.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::tls {
namespace {

constexpr std::size_t kKeyBytes = 80;
constexpr std::size_t kMostKeys = 16;

int keys_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

std::vector<std::string> key_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    line.erase(std::remove_if(line.begin(), line.end(),
                              [](unsigned char c) { return std::isspace(c) != 0; }),
               line.end());
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

std::string new_key_line() {
  unsigned char bytes[kKeyBytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1) pki::throw_openssl_error("no randomness for a key");
  std::string line = pki::to_hex(bytes, sizeof bytes);
  OPENSSL_cleanse(bytes, sizeof bytes);
  return line;
}

}  // namespace

TicketKeys TicketKeys::load(const std::filesystem::path& file) {
  std::string text = read_file(file, 64 * 1024);
  std::vector<std::string> lines = key_lines(text);
  OPENSSL_cleanse(text.data(), text.size());
  // The key text is wiped once read, whatever happens next.
  struct Wipe {
    std::vector<std::string>& lines;
    ~Wipe() {
      for (std::string& line : lines) OPENSSL_cleanse(line.data(), line.size());
    }
  } wipe{lines};
  if (lines.empty() || lines.size() > kMostKeys) {
    throw Error(file.string() + " must hold 1 to " + std::to_string(kMostKeys) +
                " ticket keys, one per line ('tlshop admin rotate-ticket-keys " + file.string() +
                "' makes them)");
  }
  TicketKeys keys;
  keys.keys_.reserve(lines.size());  // no copies of keys left behind by a reallocation
  for (const std::string& line : lines) {
    long length = 0;
    unsigned char* parsed = OPENSSL_hexstr2buf(line.c_str(), &length);
    pki::OpensslBytes bytes(parsed, {static_cast<std::size_t>(std::max(length, 0L))});
    if (!bytes || length != static_cast<long>(kKeyBytes)) {
      throw Error(file.string() + ": a ticket key must be " + std::to_string(2 * kKeyBytes) +
                  " hex digits");
    }
    Key key{};
    std::memcpy(key.name.data(), bytes.get(), 16);
    std::memcpy(key.hmac.data(), bytes.get() + 16, 32);
    std::memcpy(key.aes.data(), bytes.get() + 48, 32);
    keys.keys_.push_back(key);
  }
  return keys;
}

TicketKeys::~TicketKeys() {
  for (Key& key : keys_) OPENSSL_cleanse(&key, sizeof key);
}

void TicketKeys::install(SSL_CTX* ctx) const {
  SSL_CTX_set_ex_data(ctx, keys_index(), const_cast<TicketKeys*>(this));
  SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, &TicketKeys::seal_or_open);
}

// OpenSSL's ticket key callback: 1 with the cipher and MAC keyed, 2 for a ticket to
// accept and replace, 0 for a ticket under no key known here (a full handshake).
int TicketKeys::seal_or_open(SSL* ssl, unsigned char* name, unsigned char* iv,
                             EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac, int seal) {
  const auto* self =
      static_cast<const TicketKeys*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), keys_index()));
  const Key* key = nullptr;
  if (seal == 1) {
    key = &self->keys_.front();
    std::memcpy(name, key->name.data(), key->name.size());
    if (RAND_bytes(iv, EVP_MAX_IV_LENGTH) != 1) return -1;
  } else {
    for (const Key& candidate : self->keys_) {
      if (std::memcmp(name, candidate.name.data(), candidate.name.size()) == 0) key = &candidate;
    }
    if (key == nullptr) return 0;
  }
  char digest[] = "SHA256";
  OSSL_PARAM parameters[] = {
      OSSL_PARAM_construct_octet_string(
          OSSL_MAC_PARAM_KEY, const_cast<unsigned char*>(key->hmac.data()), key->hmac.size()),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(mac, parameters) != 1) return -1;
  int keyed = seal == 1
                  ? EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key->aes.data(), iv)
                  : EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key->aes.data(), iv);
  if (keyed != 1) return -1;
  return seal == 1 || key == &self->keys_.front() ? 1 : 2;
}

std::size_t TicketKeys::rotate(const std::filesystem::path& file, std::size_t keep) {
  std::vector<std::string> lines;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) lines = key_lines(read_file(file, 64 * 1024));
  lines.insert(lines.begin(), new_key_line());
  lines.resize(std::min(lines.size(), std::clamp<std::size_t>(keep, 1, kMostKeys)));
  std::string text =
      "# tlshop session ticket keys, newest first (tlshop admin rotate-ticket-keys)\n";
  for (const std::string& line : lines) text += line + "\n";
  write_file_atomically(file, text, kSecretFileMode);
  OPENSSL_cleanse(text.data(), text.size());
  return lines.size();
}

}  // namespace tlshop::tls
