#include "tls/openssl_x25519.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <strings.h>

#include <cstring>

#include "pki/openssl_handles.hpp"

namespace tlshop::tls {
namespace {

constexpr std::size_t kKeySize = 32;

// The default provider's X25519 key management and key exchange functions. The handle
// keeps the provider loaded for as long as the functions may be called.
struct DefaultProviderX25519 {
  pki::UniquePtr<OSSL_PROVIDER> provider;
  void* provider_context = nullptr;
  OSSL_FUNC_keymgmt_new_fn* new_key = nullptr;
  OSSL_FUNC_keymgmt_import_fn* import_key = nullptr;
  OSSL_FUNC_keymgmt_free_fn* free_key = nullptr;
  OSSL_FUNC_keyexch_newctx_fn* new_exchange = nullptr;
  OSSL_FUNC_keyexch_init_fn* init_exchange = nullptr;
  OSSL_FUNC_keyexch_set_peer_fn* set_peer = nullptr;
  OSSL_FUNC_keyexch_derive_fn* derive = nullptr;
  OSSL_FUNC_keyexch_freectx_fn* free_exchange = nullptr;

  bool complete() const {
    return new_key != nullptr && import_key != nullptr && free_key != nullptr &&
           new_exchange != nullptr && init_exchange != nullptr && set_peer != nullptr &&
           derive != nullptr && free_exchange != nullptr;
  }
};

// "X25519:1.3.101.110" names X25519 first.
bool names_x25519(const char* names) {
  const char* end = std::strchr(names, ':');
  const std::size_t length = end == nullptr ? std::strlen(names) : end - names;
  return length == 6 && strncasecmp(names, "X25519", length) == 0;
}

const OSSL_DISPATCH* x25519_functions(OSSL_PROVIDER* provider, int operation) {
  int no_cache = 0;
  const OSSL_ALGORITHM* algorithms = OSSL_PROVIDER_query_operation(provider, operation, &no_cache);
  const OSSL_DISPATCH* found = nullptr;
  for (const OSSL_ALGORITHM* algorithm = algorithms;
       algorithm != nullptr && algorithm->algorithm_names != nullptr; ++algorithm) {
    if (names_x25519(algorithm->algorithm_names)) {
      found = algorithm->implementation;
      break;
    }
  }
  OSSL_PROVIDER_unquery_operation(provider, operation, algorithms);
  return found;
}

void take_key_management(const OSSL_DISPATCH* function, DefaultProviderX25519& x25519) {
  for (; function != nullptr && function->function_id != 0; ++function) {
    switch (function->function_id) {
      case OSSL_FUNC_KEYMGMT_NEW:
        x25519.new_key = OSSL_FUNC_keymgmt_new(function);
        break;
      case OSSL_FUNC_KEYMGMT_IMPORT:
        x25519.import_key = OSSL_FUNC_keymgmt_import(function);
        break;
      case OSSL_FUNC_KEYMGMT_FREE:
        x25519.free_key = OSSL_FUNC_keymgmt_free(function);
        break;
    }
  }
}

void take_key_exchange(const OSSL_DISPATCH* function, DefaultProviderX25519& x25519) {
  for (; function != nullptr && function->function_id != 0; ++function) {
    switch (function->function_id) {
      case OSSL_FUNC_KEYEXCH_NEWCTX:
        x25519.new_exchange = OSSL_FUNC_keyexch_newctx(function);
        break;
      case OSSL_FUNC_KEYEXCH_INIT:
        x25519.init_exchange = OSSL_FUNC_keyexch_init(function);
        break;
      case OSSL_FUNC_KEYEXCH_SET_PEER:
        x25519.set_peer = OSSL_FUNC_keyexch_set_peer(function);
        break;
      case OSSL_FUNC_KEYEXCH_DERIVE:
        x25519.derive = OSSL_FUNC_keyexch_derive(function);
        break;
      case OSSL_FUNC_KEYEXCH_FREECTX:
        x25519.free_exchange = OSSL_FUNC_keyexch_freectx(function);
        break;
    }
  }
}

DefaultProviderX25519 find_default_provider_x25519() {
  DefaultProviderX25519 x25519;
  x25519.provider.reset(OSSL_PROVIDER_try_load(nullptr, "default", 1));
  if (!x25519.provider) return x25519;
  x25519.provider_context = OSSL_PROVIDER_get0_provider_ctx(x25519.provider.get());
  take_key_management(x25519_functions(x25519.provider.get(), OSSL_OP_KEYMGMT), x25519);
  take_key_exchange(x25519_functions(x25519.provider.get(), OSSL_OP_KEYEXCH), x25519);
  return x25519;
}

const DefaultProviderX25519& default_provider_x25519() {
  static const DefaultProviderX25519 x25519 = find_default_provider_x25519();
  return x25519;
}

// The keys and the exchange context live for one exchange; the provider's key objects
// wipe the private key when freed.
struct OneExchange {
  const DefaultProviderX25519& x25519;
  void* own = x25519.new_key(x25519.provider_context);
  void* peer = x25519.new_key(x25519.provider_context);
  void* exchange = x25519.new_exchange(x25519.provider_context);

  ~OneExchange() {
    if (exchange != nullptr) x25519.free_exchange(exchange);
    if (peer != nullptr) x25519.free_key(peer);
    if (own != nullptr) x25519.free_key(own);
  }
};

OSSL_PARAM key_param(const char* name, std::span<const unsigned char, 32> key) {
  // OpenSSL only reads an imported key's parameters.
  return OSSL_PARAM_construct_octet_string(name, const_cast<unsigned char*>(key.data()),
                                           key.size());
}

}  // namespace

bool openssl_x25519_available() { return default_provider_x25519().complete(); }

bool openssl_x25519(std::span<const unsigned char, 32> private_key,
                    std::span<const unsigned char, 32> public_key,
                    std::span<const unsigned char, 32> peer_public_key,
                    std::span<unsigned char, 32> secret) {
  const DefaultProviderX25519& x25519 = default_provider_x25519();
  if (!x25519.complete()) return false;
  const OSSL_PARAM own_key[] = {key_param(OSSL_PKEY_PARAM_PUB_KEY, public_key),
                                key_param(OSSL_PKEY_PARAM_PRIV_KEY, private_key),
                                OSSL_PARAM_construct_end()};
  const OSSL_PARAM peer_key[] = {key_param(OSSL_PKEY_PARAM_PUB_KEY, peer_public_key),
                                 OSSL_PARAM_construct_end()};
  OneExchange one{x25519};
  std::size_t size = 0;
  return one.own != nullptr && one.peer != nullptr && one.exchange != nullptr &&
         x25519.import_key(one.own, OSSL_KEYMGMT_SELECT_KEYPAIR, own_key) == 1 &&
         x25519.import_key(one.peer, OSSL_KEYMGMT_SELECT_PUBLIC_KEY, peer_key) == 1 &&
         x25519.init_exchange(one.exchange, one.own, nullptr) == 1 &&
         x25519.set_peer(one.exchange, one.peer) == 1 &&
         x25519.derive(one.exchange, secret.data(), &size, secret.size()) == 1 && size == kKeySize;
}

}  // namespace tlshop::tls
