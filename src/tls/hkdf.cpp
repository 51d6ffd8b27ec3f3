// The SHA-2 block functions are deprecated in OpenSSL 3.0 because they bypass providers;
// bypassing the fetch and its allocations is why this file exists.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "tls/hkdf.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <strings.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace tlshop::tls::hkdf {
namespace {

struct Sha256 {
  using Context = SHA256_CTX;
  static constexpr std::size_t kBlockSize = SHA256_CBLOCK;
  static constexpr std::size_t kDigestSize = SHA256_DIGEST_LENGTH;
  static void init(Context* context) { SHA256_Init(context); }
  static void update(Context* context, Bytes data) {
    SHA256_Update(context, data.data(), data.size());
  }
  static void finish(Context* context, unsigned char* out) { SHA256_Final(out, context); }
};

struct Sha384 {
  using Context = SHA512_CTX;
  static constexpr std::size_t kBlockSize = SHA512_CBLOCK;
  static constexpr std::size_t kDigestSize = SHA384_DIGEST_LENGTH;
  static void init(Context* context) { SHA384_Init(context); }
  static void update(Context* context, Bytes data) {
    SHA384_Update(context, data.data(), data.size());
  }
  static void finish(Context* context, unsigned char* out) { SHA384_Final(out, context); }
};

template <class H>
void digest_with(Bytes message, unsigned char* out) {
  typename H::Context context;
  H::init(&context);
  H::update(&context, message);
  H::finish(&context, out);
  OPENSSL_cleanse(&context, sizeof context);
}

template <class H>
void hmac_with(Bytes key, Bytes part1, Bytes part2, Bytes part3, unsigned char* out) {
  std::array<unsigned char, H::kBlockSize> block{};
  if (key.size() > H::kBlockSize) {
    digest_with<H>(key, block.data());
  } else if (!key.empty()) {
    std::memcpy(block.data(), key.data(), key.size());
  }
  std::array<unsigned char, H::kBlockSize> pad;
  std::array<unsigned char, H::kDigestSize> inner;
  typename H::Context context;
  for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x36;
  H::init(&context);
  H::update(&context, pad);
  for (Bytes part : {part1, part2, part3}) H::update(&context, part);
  H::finish(&context, inner.data());
  for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x5c;
  H::init(&context);
  H::update(&context, pad);
  H::update(&context, inner);
  H::finish(&context, out);
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(pad.data(), pad.size());
  OPENSSL_cleanse(inner.data(), inner.size());
  OPENSSL_cleanse(&context, sizeof context);
}

}  // namespace

std::optional<Hash> hash_named(std::string_view name) {
  auto is = [name](const char* candidate) {
    return name.size() == std::strlen(candidate) &&
           strncasecmp(name.data(), candidate, name.size()) == 0;
  };
  if (is("SHA256") || is("SHA2-256") || is("SHA-256")) return Hash::kSha256;
  if (is("SHA384") || is("SHA2-384") || is("SHA-384")) return Hash::kSha384;
  return std::nullopt;
}

std::size_t digest_size(Hash hash) {
  return hash == Hash::kSha256 ? Sha256::kDigestSize : Sha384::kDigestSize;
}

void digest(Hash hash, Bytes message, unsigned char* out) {
  if (hash == Hash::kSha256) return digest_with<Sha256>(message, out);
  digest_with<Sha384>(message, out);
}

void hmac(Hash hash, Bytes key, Bytes part1, Bytes part2, Bytes part3, unsigned char* out) {
  if (hash == Hash::kSha256) return hmac_with<Sha256>(key, part1, part2, part3, out);
  hmac_with<Sha384>(key, part1, part2, part3, out);
}

void extract(Hash hash, Bytes salt, Bytes input_key, unsigned char* out) {
  hmac(hash, salt, input_key, {}, {}, out);
}

bool expand(Hash hash, Bytes pseudorandom_key, Bytes info, std::span<unsigned char> out) {
  const std::size_t size = digest_size(hash);
  if (out.size() > 255 * size) return false;
  std::array<unsigned char, SHA384_DIGEST_LENGTH> block{};
  std::size_t previous = 0;
  for (unsigned char counter = 1; previous < out.size(); ++counter) {
    Bytes chained(block.data(), counter == 1 ? 0 : size);
    hmac(hash, pseudorandom_key, chained, info, Bytes(&counter, 1), block.data());
    const std::size_t taken = std::min(size, out.size() - previous);
    std::memcpy(out.data() + previous, block.data(), taken);
    previous += taken;
  }
  OPENSSL_cleanse(block.data(), block.size());
  return true;
}

}  // namespace tlshop::tls::hkdf
