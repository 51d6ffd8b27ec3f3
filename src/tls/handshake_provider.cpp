#include "tls/handshake_provider.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/provider.h>

#include "pki/openssl_error.hpp"
#include "pki/openssl_handles.hpp"
#include "tls/provider_dispatch.hpp"
#include "tls/tls13_kdf.hpp"

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
  *no_cache = 0;
  return operation == OSSL_OP_KDF ? kdfs : nullptr;
}

int provider_init(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH*, const OSSL_DISPATCH** out,
                  void** provider_context) {
  static const OSSL_DISPATCH functions[] = {
      dispatch(OSSL_FUNC_PROVIDER_QUERY_OPERATION, &query_operation), {0, nullptr}};
  *out = functions;
  *provider_context = const_cast<OSSL_CORE_HANDLE*>(handle);
  return 1;
}

}  // namespace

const char* handshake_provider_properties() {
  // Loaded once and never unloaded: SSL_CTXs fetch from it until the process ends.
  static const bool loaded = [] {
    if (OSSL_PROVIDER_add_builtin(nullptr, kProviderName, provider_init) != 1 ||
        OSSL_PROVIDER_try_load(nullptr, kProviderName, 1) == nullptr) {
      pki::throw_openssl_error("cannot load tlshop's handshake provider");
    }
    // OpenSSL adds a provider's algorithms to its method store only when a fetch finds
    // none that fits; a fetch that insists on this provider makes sure it happens now.
    pki::UniquePtr<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_TLS1_3_KDF, kProperties));
    if (!kdf) pki::throw_openssl_error("cannot use tlshop's handshake provider");
    return true;
  }();
  return loaded ? kPreferProvider : nullptr;
}

}  // namespace tlshop::tls
