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
#include <variant>

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

// The inner hash running over key ^ ipad and the message so far, and the padded key the
// outer hash will need.
template <class H>
struct HmacState {
  typename H::Context inner;
  std::array<unsigned char, H::kBlockSize> key_block{};

  explicit HmacState(Bytes key) {
    if (key.size() > H::kBlockSize) {
      digest_with<H>(key, key_block.data());
    } else if (!key.empty()) {
      std::memcpy(key_block.data(), key.data(), key.size());
    }
    std::array<unsigned char, H::kBlockSize> pad;
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = key_block[i] ^ 0x36;
    H::init(&inner);
    H::update(&inner, pad);
    OPENSSL_cleanse(pad.data(), pad.size());
  }
  HmacState(const HmacState&) = default;
  ~HmacState() {
    OPENSSL_cleanse(&inner, sizeof inner);
    OPENSSL_cleanse(key_block.data(), key_block.size());
  }

  void update(Bytes data) { H::update(&inner, data); }

  void finish(unsigned char* out) {
    std::array<unsigned char, H::kDigestSize> inner_digest;
    H::finish(&inner, inner_digest.data());
    std::array<unsigned char, H::kBlockSize> pad;
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = key_block[i] ^ 0x5c;
    typename H::Context outer;
    H::init(&outer);
    H::update(&outer, pad);
    H::update(&outer, inner_digest);
    H::finish(&outer, out);
    OPENSSL_cleanse(inner_digest.data(), inner_digest.size());
    OPENSSL_cleanse(pad.data(), pad.size());
    OPENSSL_cleanse(&outer, sizeof outer);
  }
};

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

struct Hmac::State {
  std::variant<HmacState<Sha256>, HmacState<Sha384>> running;
};

Hmac::Hmac(Hash hash, Bytes key)
    : state_(hash == Hash::kSha256 ? new State{std::variant<HmacState<Sha256>, HmacState<Sha384>>(
                                         std::in_place_index<0>, key)}
                                   : new State{std::variant<HmacState<Sha256>, HmacState<Sha384>>(
                                         std::in_place_index<1>, key)}) {}

Hmac::Hmac(const Hmac& other) : state_(new State(*other.state_)) {}

Hmac::~Hmac() = default;

void Hmac::update(Bytes data) {
  std::visit([data](auto& running) { running.update(data); }, state_->running);
}

void Hmac::finish(unsigned char* out) {
  std::visit([out](auto& running) { running.finish(out); }, state_->running);
}

std::size_t block_size(Hash hash) {
  return hash == Hash::kSha256 ? Sha256::kBlockSize : Sha384::kBlockSize;
}

void hmac(Hash hash, Bytes key, Bytes part1, Bytes part2, Bytes part3, unsigned char* out) {
  auto one_shot = [&](auto state) {
    for (Bytes part : {part1, part2, part3}) state.update(part);
    state.finish(out);
  };
  if (hash == Hash::kSha256) return one_shot(HmacState<Sha256>(key));
  one_shot(HmacState<Sha384>(key));
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
