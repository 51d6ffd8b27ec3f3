#include "tls/handshake_provider.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>

#include <cstring>

#include "base/error.hpp"
#include "pki/openssl_error.hpp"
#include "pki/openssl_handles.hpp"
#include "tls/hmac_mac.hpp"
#include "tls/openssl_x25519.hpp"
#include "tls/provider_dispatch.hpp"
#include "tls/tls13_kdf.hpp"
#include "tls/x25519_keys.hpp"
#include "tls/x25519_public_keys.hpp"

namespace tlshop::tls {
namespace {

constexpr const char* kProviderName = "tlshop";
constexpr const char* kPreferProvider = "?provider=tlshop";
constexpr const char* kProperties = "provider=tlshop";

const OSSL_ALGORITHM* query_operation(void*, int operation, int* no_cache) {
  static const OSSL_ALGORITHM kdfs[] = {
      {OSSL_KDF_NAME_TLS1_3_KDF, kProperties, tls13_kdf_functions(),
       "TLS 1.3 key schedule, HMAC on the stack"},
      {nullptr, nullptr, nullptr, nullptr}};
  // Named as OpenSSL names X25519, so keys move between the two implementations.
  static const OSSL_ALGORITHM key_management[] = {
      {"X25519:1.3.101.110", kProperties, x25519_key_management_functions(),
       "X25519 keys generated from the Ed25519 base-point table"},
      {nullptr, nullptr, nullptr, nullptr}};
  static const OSSL_ALGORITHM macs[] = {
      {"HMAC", kProperties, hmac_mac_functions(), "HMAC over SHA-256/384 on the stack"},
      {nullptr, nullptr, nullptr, nullptr}};
  static const OSSL_ALGORITHM key_exchange[] = {
      {"X25519:1.3.101.110", kProperties, x25519_key_exchange_functions(),
       "X25519 by OpenSSL's ladder, without EVP"},
      {nullptr, nullptr, nullptr, nullptr}};
  *no_cache = 0;
  if (operation == OSSL_OP_KDF) return kdfs;
  if (operation == OSSL_OP_KEYMGMT) return key_management;
  if (operation == OSSL_OP_KEYEXCH) return key_exchange;
  if (operation == OSSL_OP_MAC) return macs;
  return nullptr;
}

// libssl offers a group only if the provider that announces it is the one its key
// management is fetched from, so the provider announces X25519 as OpenSSL does.
int get_capabilities(void*, const char* capability, OSSL_CALLBACK* callback, void* argument) {
  static unsigned int group_id = 29;  // RFC 8446 section 4.2.7
  static unsigned int security_bits = 128;
  static int min_tls = TLS1_VERSION;
  static int min_dtls = DTLS1_VERSION;
  static int no_max = 0;
  static const OSSL_PARAM x25519[] = {
      OSSL_PARAM_utf8_string(OSSL_CAPABILITY_TLS_GROUP_NAME, const_cast<char*>("x25519"), 6),
      OSSL_PARAM_utf8_string(OSSL_CAPABILITY_TLS_GROUP_NAME_INTERNAL, const_cast<char*>("X25519"),
                             6),
      OSSL_PARAM_utf8_string(OSSL_CAPABILITY_TLS_GROUP_ALG, const_cast<char*>("X25519"), 6),
      OSSL_PARAM_uint(OSSL_CAPABILITY_TLS_GROUP_ID, &group_id),
      OSSL_PARAM_uint(OSSL_CAPABILITY_TLS_GROUP_SECURITY_BITS, &security_bits),
      OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MIN_TLS, &min_tls),
      OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MAX_TLS, &no_max),
      OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MIN_DTLS, &min_dtls),
      OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MAX_DTLS, &no_max),
      OSSL_PARAM_END};
  if (std::strcmp(capability, "TLS-GROUP") != 0) return 0;
  return callback(x25519, argument);
}

int provider_init(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH*, const OSSL_DISPATCH** out,
                  void** provider_context) {
  static const OSSL_DISPATCH functions[] = {
      dispatch(OSSL_FUNC_PROVIDER_QUERY_OPERATION, &query_operation),
      dispatch(OSSL_FUNC_PROVIDER_GET_CAPABILITIES, &get_capabilities),
      {0, nullptr}};
  *out = functions;
  *provider_context = const_cast<OSSL_CORE_HANDLE*>(handle);
  return 1;
}

// Both providers stay loaded until the process ends (SSL_CTXs fetch from them); the
// handles unload them then, before OpenSSL's own clean-up, which frees what is left.
struct LoadedProviders {
  pki::UniquePtr<OSSL_PROVIDER> openssl_default;
  pki::UniquePtr<OSSL_PROVIDER> tlshop;
};

LoadedProviders load_providers() {
  LoadedProviders loaded;
  // OpenSSL's default provider goes first, so that a fetch without a preference, which
  // takes the first implementation it finds, keeps getting OpenSSL's X25519 and HMAC.
  loaded.openssl_default.reset(OSSL_PROVIDER_try_load(nullptr, "default", 1));
  if (!loaded.openssl_default ||
      OSSL_PROVIDER_add_builtin(nullptr, kProviderName, provider_init) != 1) {
    pki::throw_openssl_error("cannot load tlshop's handshake provider");
  }
  loaded.tlshop.reset(OSSL_PROVIDER_try_load(nullptr, kProviderName, 1));
  // OpenSSL adds a provider's algorithms to its method store only when a fetch finds
  // none that fits; a fetch that insists on this provider makes sure it happens now.
  pki::UniquePtr<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_TLS1_3_KDF, kProperties));
  pki::UniquePtr<EVP_KEYMGMT> x25519_keys(EVP_KEYMGMT_fetch(nullptr, "X25519", kProperties));
  pki::UniquePtr<EVP_KEYEXCH> x25519(EVP_KEYEXCH_fetch(nullptr, "X25519", kProperties));
  pki::UniquePtr<EVP_MAC> hmac(EVP_MAC_fetch(nullptr, "HMAC", kProperties));
  if (!loaded.tlshop || !kdf || !x25519_keys || !x25519 || !hmac || !openssl_x25519_available() ||
      !x25519_public_keys_pass_known_answer()) {
    pki::throw_openssl_error("cannot use tlshop's handshake provider");
  }
  return loaded;
}

}  // namespace

const char* handshake_provider_properties() {
  static const LoadedProviders loaded = load_providers();
  return loaded.tlshop ? kPreferProvider : nullptr;
}

}  // namespace tlshop::tls
