#include "tls/hmac_mac.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include <new>
#include <optional>
#include <vector>

#include "tls/hkdf.hpp"
#include "tls/provider_dispatch.hpp"

namespace tlshop::tls {
namespace {

struct MacContext {
  std::optional<hkdf::Hash> hash;
  std::vector<unsigned char> key;
  std::optional<hkdf::Hmac> running;

  MacContext() = default;
  MacContext(const MacContext&) = default;
  ~MacContext() { OPENSSL_cleanse(key.data(), key.size()); }

  // The old key is wiped before the vector may reuse or free its storage.
  void replace_key(const unsigned char* bytes, std::size_t size) {
    OPENSSL_cleanse(key.data(), key.size());
    key.assign(bytes, bytes + size);
  }
};

int set_ctx_params(void* opaque, const OSSL_PARAM params[]) {
  auto& context = *static_cast<MacContext*>(opaque);
  if (params == nullptr) return 1;
  if (OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_TLS_DATA_SIZE) != nullptr ||
      OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_DIGEST_NOINIT) != nullptr) {
    return 0;
  }
  if (const OSSL_PARAM* digest = OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_DIGEST)) {
    const char* name = nullptr;
    if (OSSL_PARAM_get_utf8_string_ptr(digest, &name) != 1) return 0;
    context.hash = hkdf::hash_named(name);
    if (!context.hash) return 0;
  }
  if (const OSSL_PARAM* key = OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_KEY)) {
    const void* data = nullptr;
    std::size_t size = 0;
    if (OSSL_PARAM_get_octet_string_ptr(key, &data, &size) != 1) return 0;
    context.replace_key(static_cast<const unsigned char*>(data), size);
    context.running.reset();
  }
  return 1;
}

// A key given here or earlier starts the MAC afresh.
int init(void* opaque, const unsigned char* key, std::size_t key_size, const OSSL_PARAM params[]) {
  auto& context = *static_cast<MacContext*>(opaque);
  if (set_ctx_params(opaque, params) != 1 || !context.hash) return 0;
  if (key != nullptr) {
    context.replace_key(key, key_size);
  }
  context.running.emplace(*context.hash, context.key);
  return 1;
}

int update(void* opaque, const unsigned char* data, std::size_t size) {
  auto& context = *static_cast<MacContext*>(opaque);
  if (!context.running) return 0;
  context.running->update({data, size});
  return 1;
}

int final(void* opaque, unsigned char* out, std::size_t* out_size, std::size_t room) {
  auto& context = *static_cast<MacContext*>(opaque);
  if (!context.running || room < hkdf::digest_size(*context.hash)) return 0;
  context.running->finish(out);
  context.running.reset();
  *out_size = hkdf::digest_size(*context.hash);
  return 1;
}

int get_ctx_params(void* opaque, OSSL_PARAM params[]) {
  const auto& context = *static_cast<const MacContext*>(opaque);
  OSSL_PARAM* param = nullptr;
  if ((param = OSSL_PARAM_locate(params, OSSL_MAC_PARAM_SIZE)) != nullptr &&
      OSSL_PARAM_set_size_t(param, context.hash ? hkdf::digest_size(*context.hash) : 0) != 1) {
    return 0;
  }
  if ((param = OSSL_PARAM_locate(params, OSSL_MAC_PARAM_BLOCK_SIZE)) != nullptr &&
      OSSL_PARAM_set_size_t(param, context.hash ? hkdf::block_size(*context.hash) : 0) != 1) {
    return 0;
  }
  return 1;
}

const OSSL_PARAM* gettable_ctx_params(void*, void*) {
  static const OSSL_PARAM gettable[] = {OSSL_PARAM_size_t(OSSL_MAC_PARAM_SIZE, nullptr),
                                        OSSL_PARAM_size_t(OSSL_MAC_PARAM_BLOCK_SIZE, nullptr),
                                        OSSL_PARAM_END};
  return gettable;
}

const OSSL_PARAM* settable_ctx_params(void*, void*) {
  static const OSSL_PARAM settable[] = {
      OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST, nullptr, 0),
      OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_PROPERTIES, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_MAC_PARAM_KEY, nullptr, 0), OSSL_PARAM_END};
  return settable;
}

void* new_context(void*) { return new (std::nothrow) MacContext(); }

void* dup_context(void* opaque) {
  return new (std::nothrow) MacContext(*static_cast<const MacContext*>(opaque));
}

void free_context(void* opaque) { delete static_cast<MacContext*>(opaque); }

}  // namespace

const OSSL_DISPATCH* hmac_mac_functions() {
  static const OSSL_DISPATCH functions[] = {
      dispatch(OSSL_FUNC_MAC_NEWCTX, &new_context),
      dispatch(OSSL_FUNC_MAC_DUPCTX, &dup_context),
      dispatch(OSSL_FUNC_MAC_FREECTX, &free_context),
      dispatch(OSSL_FUNC_MAC_INIT, &init),
      dispatch(OSSL_FUNC_MAC_UPDATE, &update),
      dispatch(OSSL_FUNC_MAC_FINAL, &final),
      dispatch(OSSL_FUNC_MAC_GETTABLE_CTX_PARAMS, &gettable_ctx_params),
      dispatch(OSSL_FUNC_MAC_GET_CTX_PARAMS, &get_ctx_params),
      dispatch(OSSL_FUNC_MAC_SETTABLE_CTX_PARAMS, &settable_ctx_params),
      dispatch(OSSL_FUNC_MAC_SET_CTX_PARAMS, &set_ctx_params),
      {0, nullptr}};
  return functions;
}

}  // namespace tlshop::tls
