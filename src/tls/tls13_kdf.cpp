#include "tls/tls13_kdf.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <strings.h>

#include <array>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <utility>

#include "tls/hkdf.hpp"
#include "tls/provider_dispatch.hpp"

namespace tlshop::tls {
namespace {

// A parameter copied into the context, wiped when replaced or freed.
template <std::size_t Capacity>
struct Field {
  std::array<unsigned char, Capacity> bytes{};
  std::size_t size = 0;
  bool present = false;

  hkdf::Bytes view() const { return {bytes.data(), size}; }
  void clear() {
    OPENSSL_cleanse(bytes.data(), size);
    size = 0;
    present = false;
  }
  bool assign(const OSSL_PARAM* param) {
    const void* data = nullptr;
    std::size_t length = 0;
    if (OSSL_PARAM_get_octet_string_ptr(param, &data, &length) != 1 || length > Capacity) {
      return false;
    }
    clear();
    if (length > 0) std::memcpy(bytes.data(), data, length);
    size = length;
    present = true;
    return true;
  }
};

// What libssl sets before a derive; the capacities are the limits of RFC 8446's
// HkdfLabel (label and context at most 255 bytes) and of the two hashes' secrets.
struct KdfContext {
  int mode = EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND;
  std::optional<hkdf::Hash> hash;
  Field<128> key;
  Field<128> salt;
  Field<255> prefix;
  Field<255> label;
  Field<255> data;

  void reset() {
    mode = EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND;
    hash.reset();
    key.clear();
    salt.clear();
    prefix.clear();
    label.clear();
    data.clear();
  }
};

// HKDF-Expand-Label: the info is length, prefix + label and context, each with its size.
bool expand_label(hkdf::Hash hash, hkdf::Bytes secret, const KdfContext& context,
                  hkdf::Bytes hash_value, std::span<unsigned char> out) {
  const std::size_t label_size = context.prefix.size + context.label.size;
  if (label_size > 255 || hash_value.size() > 255 || out.size() > 0xffff) return false;
  std::array<unsigned char, 2 + 1 + 255 + 1 + 255> info;
  std::size_t at = 0;
  info[at++] = static_cast<unsigned char>(out.size() >> 8);
  info[at++] = static_cast<unsigned char>(out.size());
  info[at++] = static_cast<unsigned char>(label_size);
  for (hkdf::Bytes part : {context.prefix.view(), context.label.view()}) {
    if (!part.empty()) std::memcpy(info.data() + at, part.data(), part.size());
    at += part.size();
  }
  info[at++] = static_cast<unsigned char>(hash_value.size());
  if (!hash_value.empty()) std::memcpy(info.data() + at, hash_value.data(), hash_value.size());
  at += hash_value.size();
  return hkdf::expand(hash, secret, {info.data(), at}, out);
}

// The early, handshake and master secrets: HKDF-Extract of the input secret (zeros if
// none) with, as salt, the previous secret expanded under "derived" (none for the first).
bool extract_secret(hkdf::Hash hash, const KdfContext& context, std::span<unsigned char> out) {
  const std::size_t size = hkdf::digest_size(hash);
  if (out.size() != size) return false;
  const std::array<unsigned char, 64> zeros{};
  hkdf::Bytes input = context.key.present ? context.key.view() : hkdf::Bytes(zeros.data(), size);
  std::array<unsigned char, 64> salt{};
  std::size_t salt_size = 0;
  if (context.salt.present) {
    std::array<unsigned char, 64> empty_hash;
    hkdf::digest(hash, {}, empty_hash.data());
    if (!expand_label(hash, context.salt.view(), context, {empty_hash.data(), size},
                      {salt.data(), size})) {
      return false;
    }
    salt_size = size;
  }
  hkdf::extract(hash, {salt.data(), salt_size}, input, out.data());
  OPENSSL_cleanse(salt.data(), salt.size());
  return true;
}

bool set_mode(KdfContext& context, const OSSL_PARAM* param) {
  int mode = -1;
  const char* name = nullptr;
  if (OSSL_PARAM_get_utf8_string_ptr(param, &name) == 1) {
    if (strcasecmp(name, "EXTRACT_ONLY") == 0) mode = EVP_KDF_HKDF_MODE_EXTRACT_ONLY;
    if (strcasecmp(name, "EXPAND_ONLY") == 0) mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  } else if (OSSL_PARAM_get_int(param, &mode) != 1) {
    return false;
  }
  if (mode != EVP_KDF_HKDF_MODE_EXTRACT_ONLY && mode != EVP_KDF_HKDF_MODE_EXPAND_ONLY) {
    return false;
  }
  context.mode = mode;
  return true;
}

bool set_hash(KdfContext& context, const OSSL_PARAM* param) {
  const char* name = nullptr;
  if (OSSL_PARAM_get_utf8_string_ptr(param, &name) != 1) return false;
  context.hash = hkdf::hash_named(name);
  return context.hash.has_value();
}

// What a parameter sets. libssl passes five or six parameters to each of a handshake's
// twenty-odd derives: one pass over them, comparing a name in full only when its first
// letter matches, rather than a search of the whole list for every name.
enum class Setting { kMode, kDigest, kKey, kSalt, kPrefix, kLabel, kData, kNone };

Setting setting_named(const char* key) {
  static constexpr std::pair<const char*, Setting> kSettings[] = {
      {OSSL_KDF_PARAM_MODE, Setting::kMode},     {OSSL_KDF_PARAM_DIGEST, Setting::kDigest},
      {OSSL_KDF_PARAM_KEY, Setting::kKey},       {OSSL_KDF_PARAM_SALT, Setting::kSalt},
      {OSSL_KDF_PARAM_PREFIX, Setting::kPrefix}, {OSSL_KDF_PARAM_LABEL, Setting::kLabel},
      {OSSL_KDF_PARAM_DATA, Setting::kData}};
  for (const auto& [name, setting] : kSettings) {
    if (key[0] == name[0] && std::strcmp(key, name) == 0) return setting;
  }
  return Setting::kNone;
}

bool apply(KdfContext& context, const OSSL_PARAM& param) {
  switch (setting_named(param.key)) {
    case Setting::kMode:
      return set_mode(context, &param);
    case Setting::kDigest:
      return set_hash(context, &param);
    case Setting::kKey:
      return context.key.assign(&param);
    case Setting::kSalt:
      return context.salt.assign(&param);
    case Setting::kPrefix:
      return context.prefix.assign(&param);
    case Setting::kLabel:
      return context.label.assign(&param);
    case Setting::kData:
      return context.data.assign(&param);
    case Setting::kNone:
      return true;
  }
  return true;
}

int set_ctx_params(void* opaque, const OSSL_PARAM params[]) {
  if (params == nullptr) return 1;
  KdfContext& context = *static_cast<KdfContext*>(opaque);
  // As OpenSSL's TLS13-KDF: the context data applies to one derive only.
  context.data.clear();
  for (const OSSL_PARAM* param = params; param->key != nullptr; ++param) {
    if (!apply(context, *param)) return 0;
  }
  return 1;
}

int derive(void* opaque, unsigned char* out, std::size_t size, const OSSL_PARAM params[]) {
  KdfContext& context = *static_cast<KdfContext*>(opaque);
  if (set_ctx_params(opaque, params) != 1 || !context.hash) return 0;
  std::span<unsigned char> output(out, size);
  if (context.mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY) {
    return extract_secret(*context.hash, context, output) ? 1 : 0;
  }
  if (context.mode == EVP_KDF_HKDF_MODE_EXPAND_ONLY && context.key.present) {
    return expand_label(*context.hash, context.key.view(), context, context.data.view(), output)
               ? 1
               : 0;
  }
  return 0;
}

void* new_context(void*) { return new (std::nothrow) KdfContext(); }

void free_context(void* opaque) {
  auto* context = static_cast<KdfContext*>(opaque);
  if (context == nullptr) return;
  context->reset();
  delete context;
}

void* dup_context(void* opaque) {
  return new (std::nothrow) KdfContext(*static_cast<const KdfContext*>(opaque));
}

void reset_context(void* opaque) { static_cast<KdfContext*>(opaque)->reset(); }

const OSSL_PARAM* settable_ctx_params(void*, void*) {
  static const OSSL_PARAM settable[] = {
      OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_MODE, nullptr, 0),
      OSSL_PARAM_int(OSSL_KDF_PARAM_MODE, nullptr),
      OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_PROPERTIES, nullptr, 0),
      OSSL_PARAM_utf8_string(OSSL_KDF_PARAM_DIGEST, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_KDF_PARAM_KEY, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_KDF_PARAM_SALT, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_KDF_PARAM_PREFIX, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_KDF_PARAM_LABEL, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_KDF_PARAM_DATA, nullptr, 0),
      OSSL_PARAM_END};
  return settable;
}

int get_ctx_params(void* opaque, OSSL_PARAM params[]) {
  const KdfContext& context = *static_cast<const KdfContext*>(opaque);
  OSSL_PARAM* size = OSSL_PARAM_locate(params, OSSL_KDF_PARAM_SIZE);
  if (size == nullptr) return 1;
  std::size_t value = std::numeric_limits<std::size_t>::max();
  if (context.mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY) {
    if (!context.hash) return 0;
    value = hkdf::digest_size(*context.hash);
  }
  return OSSL_PARAM_set_size_t(size, value);
}

const OSSL_PARAM* gettable_ctx_params(void*, void*) {
  static const OSSL_PARAM gettable[] = {OSSL_PARAM_size_t(OSSL_KDF_PARAM_SIZE, nullptr),
                                        OSSL_PARAM_END};
  return gettable;
}

}  // namespace

const OSSL_DISPATCH* tls13_kdf_functions() {
  static const OSSL_DISPATCH functions[] = {
      dispatch(OSSL_FUNC_KDF_NEWCTX, &new_context),
      dispatch(OSSL_FUNC_KDF_DUPCTX, &dup_context),
      dispatch(OSSL_FUNC_KDF_FREECTX, &free_context),
      dispatch(OSSL_FUNC_KDF_RESET, &reset_context),
      dispatch(OSSL_FUNC_KDF_DERIVE, &derive),
      dispatch(OSSL_FUNC_KDF_SETTABLE_CTX_PARAMS, &settable_ctx_params),
      dispatch(OSSL_FUNC_KDF_SET_CTX_PARAMS, &set_ctx_params),
      dispatch(OSSL_FUNC_KDF_GETTABLE_CTX_PARAMS, &gettable_ctx_params),
      dispatch(OSSL_FUNC_KDF_GET_CTX_PARAMS, &get_ctx_params),
      {0, nullptr}};
  return functions;
}

}  // namespace tlshop::tls
