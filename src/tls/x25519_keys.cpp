#include "tls/x25519_keys.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>

#include "tls/openssl_x25519.hpp"
#include "tls/provider_dispatch.hpp"
#include "tls/x25519_public_keys.hpp"

namespace tlshop::tls {
namespace {

constexpr std::size_t kKeySize = 32;

struct X25519Key {
  std::array<unsigned char, kKeySize> public_key{};
  std::array<unsigned char, kKeySize> private_key{};
  bool has_public = false;
  bool has_private = false;

  ~X25519Key() { OPENSSL_cleanse(private_key.data(), private_key.size()); }
};

// --- OpenSSL's key management functions ---

void* new_key(void*) { return new (std::nothrow) X25519Key(); }

void free_key(void* key) { delete static_cast<X25519Key*>(key); }

// EVP_PKEY_copy_parameters (TLS 1.2's key exchange) duplicates with no key selected.
void* duplicate_key(const void* opaque, int selection) {
  const auto& from = *static_cast<const X25519Key*>(opaque);
  auto* key = new (std::nothrow) X25519Key();
  if (key == nullptr) return nullptr;
  if ((selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0 && from.has_public) {
    key->public_key = from.public_key;
    key->has_public = true;
  }
  if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0 && from.has_private) {
    key->private_key = from.private_key;
    key->has_private = true;
  }
  return key;
}

int has(const void* opaque, int selection) {
  const auto* key = static_cast<const X25519Key*>(opaque);
  if (key == nullptr) return 0;
  bool ok = true;
  if ((selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0) ok = ok && key->has_public;
  if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0) ok = ok && key->has_private;
  return ok ? 1 : 0;
}

bool public_key_matches_private(const X25519Key& key) {
  std::array<unsigned char, kKeySize> derived;
  return x25519_public_key(key.private_key, derived) &&
         CRYPTO_memcmp(derived.data(), key.public_key.data(), kKeySize) == 0;
}

// As OpenSSL's: a key pair is checked by deriving its public key again.
int validate(const void* opaque, int selection, int) {
  if (has(opaque, selection & OSSL_KEYMGMT_SELECT_KEYPAIR) != 1) return 0;
  const auto& key = *static_cast<const X25519Key*>(opaque);
  if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) != OSSL_KEYMGMT_SELECT_KEYPAIR) return 1;
  return public_key_matches_private(key) ? 1 : 0;
}

int match(const void* opaque1, const void* opaque2, int selection) {
  const auto& key1 = *static_cast<const X25519Key*>(opaque1);
  const auto& key2 = *static_cast<const X25519Key*>(opaque2);
  if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) == 0) return 1;  // no domain parameters
  if (key1.has_public && key2.has_public) {
    return CRYPTO_memcmp(key1.public_key.data(), key2.public_key.data(), kKeySize) == 0;
  }
  if (key1.has_private && key2.has_private) {
    return CRYPTO_memcmp(key1.private_key.data(), key2.private_key.data(), kKeySize) == 0;
  }
  return 0;
}

bool take_octets(const OSSL_PARAM* param, std::array<unsigned char, kKeySize>& into) {
  const void* data = nullptr;
  std::size_t size = 0;
  if (OSSL_PARAM_get_octet_string_ptr(param, &data, &size) != 1 || size != kKeySize) {
    return false;
  }
  std::memcpy(into.data(), data, kKeySize);
  return true;
}

int import_key(void* opaque, int selection, const OSSL_PARAM params[]) {
  auto& key = *static_cast<X25519Key*>(opaque);
  const OSSL_PARAM* public_param = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_PUB_KEY);
  const OSSL_PARAM* private_param = (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0
                                        ? OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_PRIV_KEY)
                                        : nullptr;
  if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) == 0) return 1;
  if (public_param == nullptr && private_param == nullptr) return 0;
  if (private_param != nullptr) {
    if (!take_octets(private_param, key.private_key)) return 0;
    key.has_private = true;
  }
  if (public_param != nullptr) {
    if (!take_octets(public_param, key.public_key)) return 0;
  } else if (!x25519_public_key(key.private_key, key.public_key)) {
    return 0;
  }
  key.has_public = true;
  return 1;
}

const OSSL_PARAM* key_types(int) {
  static const OSSL_PARAM types[] = {OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0),
                                     OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, nullptr, 0),
                                     OSSL_PARAM_END};
  return types;
}

int export_key(void* opaque, int selection, OSSL_CALLBACK* callback, void* callback_argument) {
  auto& key = *static_cast<X25519Key*>(opaque);
  if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) == 0) return 0;
  OSSL_PARAM params[3];
  OSSL_PARAM* next = params;
  if (key.has_public) {
    *next++ =
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, key.public_key.data(), kKeySize);
  }
  if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0 && key.has_private) {
    *next++ = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, key.private_key.data(),
                                                kKeySize);
  }
  *next = OSSL_PARAM_construct_end();
  return callback(params, callback_argument);
}

int get_params(void* opaque, OSSL_PARAM params[]) {
  const auto& key = *static_cast<const X25519Key*>(opaque);
  OSSL_PARAM* param = nullptr;
  if (((param = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_BITS)) != nullptr &&
       OSSL_PARAM_set_int(param, 253) != 1) ||
      ((param = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_SECURITY_BITS)) != nullptr &&
       OSSL_PARAM_set_int(param, 128) != 1) ||
      ((param = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_MAX_SIZE)) != nullptr &&
       OSSL_PARAM_set_int(param, static_cast<int>(kKeySize)) != 1)) {
    return 0;
  }
  for (const char* name : {OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, OSSL_PKEY_PARAM_PUB_KEY}) {
    if ((param = OSSL_PARAM_locate(params, name)) == nullptr) continue;
    if (!key.has_public ||
        OSSL_PARAM_set_octet_string(param, key.public_key.data(), kKeySize) != 1) {
      return 0;
    }
  }
  return 1;
}

const OSSL_PARAM* gettable_params(void*) {
  static const OSSL_PARAM gettable[] = {
      OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, nullptr),
      OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, nullptr),
      OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, nullptr),
      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0),
      OSSL_PARAM_END};
  return gettable;
}

// A peer's key share: its public key, with no private half.
int set_params(void* opaque, const OSSL_PARAM params[]) {
  auto& key = *static_cast<X25519Key*>(opaque);
  const OSSL_PARAM* encoded = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY);
  if (encoded == nullptr) return 1;
  if (!take_octets(encoded, key.public_key)) return 0;
  OPENSSL_cleanse(key.private_key.data(), kKeySize);
  key.has_private = false;
  key.has_public = true;
  return 1;
}

const OSSL_PARAM* settable_params(void*) {
  static const OSSL_PARAM settable[] = {
      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0), OSSL_PARAM_END};
  return settable;
}

struct Generation {
  int selection = 0;
};

int generation_set_params(void*, const OSSL_PARAM params[]) {
  const OSSL_PARAM* group = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_GROUP_NAME);
  const char* name = nullptr;
  if (group == nullptr) return 1;
  return OSSL_PARAM_get_utf8_string_ptr(group, &name) == 1 && strcasecmp(name, "x25519") == 0;
}

const OSSL_PARAM* generation_settable_params(void*, void*) {
  static const OSSL_PARAM settable[] = {
      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, nullptr, 0), OSSL_PARAM_END};
  return settable;
}

void* generation_init(void*, int selection, const OSSL_PARAM params[]) {
  auto* generation = new (std::nothrow) Generation{selection};
  if (generation != nullptr && generation_set_params(generation, params) != 1) {
    delete generation;
    return nullptr;
  }
  return generation;
}

void generation_cleanup(void* generation) { delete static_cast<Generation*>(generation); }

// Key pairs made a batch at a time, so that their public keys share one field inversion
// (a fifth of what a key costs alone). Each pair is handed out once and its private half wiped
// from the pool; a forked child makes keys of its own rather than hand out its parent's.
class KeyPairPool {
 public:
  KeyPairPool() = default;
  KeyPairPool(const KeyPairPool&) = delete;
  KeyPairPool& operator=(const KeyPairPool&) = delete;
  ~KeyPairPool() { OPENSSL_cleanse(private_keys_.data(), sizeof private_keys_); }

  bool take(X25519Key& key) {
    if ((next_ == kBatch || owner_ != getpid()) && !refill()) return false;
    key.private_key = private_keys_[next_];
    key.public_key = public_keys_[next_];
    OPENSSL_cleanse(private_keys_[next_].data(), kKeySize);
    ++next_;
    return true;
  }

 private:
  static constexpr std::size_t kBatch = 8;
  static_assert(sizeof(std::array<X25519Bytes, kBatch>) == kBatch * kKeySize);

  bool refill() {
    next_ = kBatch;
    owner_ = getpid();
    if (RAND_priv_bytes(private_keys_.front().data(), sizeof private_keys_) != 1 ||
        !compute_x25519_public_keys(private_keys_, public_keys_)) {
      OPENSSL_cleanse(private_keys_.data(), sizeof private_keys_);
      return false;
    }
    next_ = 0;
    return true;
  }

  std::array<X25519Bytes, kBatch> private_keys_{};
  std::array<X25519Bytes, kBatch> public_keys_{};
  std::size_t next_ = kBatch;
  pid_t owner_ = 0;
};

// Key parameters alone (libssl asks for them to hold a peer's share) are an empty key.
void* generate(void* opaque, OSSL_CALLBACK*, void*) {
  static thread_local KeyPairPool pool;
  const auto& generation = *static_cast<const Generation*>(opaque);
  auto* key = new (std::nothrow) X25519Key();
  if (key == nullptr || (generation.selection & OSSL_KEYMGMT_SELECT_KEYPAIR) == 0) return key;
  if (!pool.take(*key)) {
    delete key;
    return nullptr;
  }
  key->has_private = key->has_public = true;
  return key;
}

// --- OpenSSL's key exchange functions ---

struct Exchange {
  const X25519Key* own = nullptr;
  const X25519Key* peer = nullptr;
};

void* new_exchange(void*) { return new (std::nothrow) Exchange(); }

void free_exchange(void* exchange) { delete static_cast<Exchange*>(exchange); }

void* duplicate_exchange(void* exchange) {
  return new (std::nothrow) Exchange(*static_cast<const Exchange*>(exchange));
}

int exchange_init(void* exchange, void* key, const OSSL_PARAM[]) {
  auto* own = static_cast<const X25519Key*>(key);
  if (own == nullptr || !own->has_private) return 0;
  static_cast<Exchange*>(exchange)->own = own;
  return 1;
}

int exchange_set_peer(void* exchange, void* key) {
  auto* peer = static_cast<const X25519Key*>(key);
  if (peer == nullptr || !peer->has_public) return 0;
  static_cast<Exchange*>(exchange)->peer = peer;
  return 1;
}

int exchange_derive(void* opaque, unsigned char* secret, std::size_t* size, std::size_t room) {
  const auto& exchange = *static_cast<const Exchange*>(opaque);
  if (exchange.own == nullptr || exchange.peer == nullptr) return 0;
  *size = kKeySize;
  if (secret == nullptr) return 1;
  if (room < kKeySize) return 0;
  return openssl_x25519(exchange.own->private_key, exchange.own->public_key,
                        exchange.peer->public_key,
                        std::span<unsigned char, kKeySize>(secret, kKeySize))
             ? 1
             : 0;
}

const char* operation_name(int operation) {
  return operation == OSSL_OP_KEYEXCH ? "X25519" : nullptr;
}

}  // namespace

bool x25519_public_key(std::span<const unsigned char, 32> private_key,
                       std::span<unsigned char, 32> public_key) {
  std::array<X25519Bytes, 1> private_keys;
  std::copy(private_key.begin(), private_key.end(), private_keys[0].begin());
  std::array<X25519Bytes, 1> public_keys;
  const bool computed = compute_x25519_public_keys(private_keys, public_keys);
  OPENSSL_cleanse(private_keys.data(), sizeof private_keys);
  if (computed) std::copy(public_keys[0].begin(), public_keys[0].end(), public_key.begin());
  return computed;
}

const OSSL_DISPATCH* x25519_key_exchange_functions() {
  static const OSSL_DISPATCH functions[] = {
      dispatch(OSSL_FUNC_KEYEXCH_NEWCTX, &new_exchange),
      dispatch(OSSL_FUNC_KEYEXCH_INIT, &exchange_init),
      dispatch(OSSL_FUNC_KEYEXCH_SET_PEER, &exchange_set_peer),
      dispatch(OSSL_FUNC_KEYEXCH_DERIVE, &exchange_derive),
      dispatch(OSSL_FUNC_KEYEXCH_FREECTX, &free_exchange),
      dispatch(OSSL_FUNC_KEYEXCH_DUPCTX, &duplicate_exchange),
      {0, nullptr}};
  return functions;
}

const OSSL_DISPATCH* x25519_key_management_functions() {
  static const OSSL_DISPATCH functions[] = {
      dispatch(OSSL_FUNC_KEYMGMT_NEW, &new_key),
      dispatch(OSSL_FUNC_KEYMGMT_FREE, &free_key),
      dispatch(OSSL_FUNC_KEYMGMT_DUP, &duplicate_key),
      dispatch(OSSL_FUNC_KEYMGMT_HAS, &has),
      dispatch(OSSL_FUNC_KEYMGMT_VALIDATE, &validate),
      dispatch(OSSL_FUNC_KEYMGMT_MATCH, &match),
      dispatch(OSSL_FUNC_KEYMGMT_IMPORT, &import_key),
      dispatch(OSSL_FUNC_KEYMGMT_IMPORT_TYPES, &key_types),
      dispatch(OSSL_FUNC_KEYMGMT_EXPORT, &export_key),
      dispatch(OSSL_FUNC_KEYMGMT_EXPORT_TYPES, &key_types),
      dispatch(OSSL_FUNC_KEYMGMT_GET_PARAMS, &get_params),
      dispatch(OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, &gettable_params),
      dispatch(OSSL_FUNC_KEYMGMT_SET_PARAMS, &set_params),
      dispatch(OSSL_FUNC_KEYMGMT_SETTABLE_PARAMS, &settable_params),
      dispatch(OSSL_FUNC_KEYMGMT_GEN_INIT, &generation_init),
      dispatch(OSSL_FUNC_KEYMGMT_GEN_SET_PARAMS, &generation_set_params),
      dispatch(OSSL_FUNC_KEYMGMT_GEN_SETTABLE_PARAMS, &generation_settable_params),
      dispatch(OSSL_FUNC_KEYMGMT_GEN, &generate),
      dispatch(OSSL_FUNC_KEYMGMT_GEN_CLEANUP, &generation_cleanup),
      dispatch(OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, &operation_name),
      {0, nullptr}};
  return functions;
}

}  // namespace tlshop::tls
