// The ENGINE API is deprecated in OpenSSL 3.0 but is what selects the built-in EC
// method; this file is the only user.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "pki/builtin_ec_method.hpp"

#include <openssl/engine.h>
#include <openssl/evp.h>

#include <mutex>

#include "pki/openssl_error.hpp"

namespace tlshop::pki {
namespace {

constexpr const char* kEngineId = "tlshop-builtin-ec";
const int kEcKeyTypes[] = {EVP_PKEY_EC};

// ENGINE_PKEY_METHS_PTR: with no method pointer, lists the key types offered.
int offer_builtin_ec(ENGINE*, EVP_PKEY_METHOD** method, const int** key_types, int key_type) {
  if (method == nullptr) {
    *key_types = kEcKeyTypes;
    return 1;
  }
  *method = key_type == EVP_PKEY_EC ? const_cast<EVP_PKEY_METHOD*>(EVP_PKEY_meth_find(key_type))
                                    : nullptr;
  return *method != nullptr ? 1 : 0;
}

// OpenSSL's engine list owns the engine once added; this holds the reference it returns.
ENGINE* registered_engine() {
  static ENGINE* const engine = [] {
    ENGINE* created = ENGINE_new();
    if (created == nullptr || ENGINE_set_id(created, kEngineId) != 1 ||
        ENGINE_set_name(created, "OpenSSL's built-in EC key method") != 1 ||
        ENGINE_set_pkey_meths(created, offer_builtin_ec) != 1 || ENGINE_add(created) != 1) {
      ENGINE_free(created);
      throw_openssl_error("cannot set up the built-in EC key method");
    }
    return created;
  }();
  return engine;
}

std::mutex registration_mutex;
bool in_use = false;

}  // namespace

void use_builtin_ec_method(bool enabled) {
  std::lock_guard lock(registration_mutex);
  if (enabled == in_use) return;
  ENGINE* engine = registered_engine();
  if (enabled) {
    if (ENGINE_register_pkey_meths(engine) != 1) {
      throw_openssl_error("cannot use the built-in EC key method");
    }
  } else {
    ENGINE_unregister_pkey_meths(engine);
  }
  in_use = enabled;
}

bool builtin_ec_method_in_use() {
  std::lock_guard lock(registration_mutex);
  return in_use;
}

}  // namespace tlshop::pki
