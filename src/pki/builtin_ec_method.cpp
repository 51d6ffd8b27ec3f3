// The ENGINE API is deprecated in OpenSSL 3.0 but is what selects the built-in EC
// method; this file is the only user.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "pki/builtin_ec_method.hpp"

#include <openssl/evp.h>
#include <openssl/opensslconf.h>
#ifndef OPENSSL_NO_ENGINE
#include <openssl/engine.h>
#endif

#include <mutex>

#include "pki/openssl_error.hpp"

namespace tlshop::pki {
namespace {

std::mutex registration_mutex;
bool in_use = false;

#ifndef OPENSSL_NO_ENGINE

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

void register_builtin_ec(bool enabled) {
  ENGINE* engine = registered_engine();
  if (!enabled) {
    ENGINE_unregister_pkey_meths(engine);
  } else if (ENGINE_register_pkey_meths(engine) != 1) {
    throw_openssl_error("cannot use the built-in EC key method");
  }
}

#else

void register_builtin_ec(bool) {}

#endif

}  // namespace

std::string builtin_ec_method_refusal() {
#ifdef OPENSSL_NO_ENGINE
  return "this OpenSSL was built without ENGINE support";
#else
  if (EVP_default_properties_is_fips_enabled(nullptr) == 1) {
    return "OpenSSL's default properties ask for FIPS, and the built-in EC method is not "
           "part of a validated module";
  }
  return {};
#endif
}

std::string use_builtin_ec_method(bool enabled) {
  std::lock_guard lock(registration_mutex);
  if (enabled) {
    if (std::string refusal = builtin_ec_method_refusal(); !refusal.empty()) {
      if (in_use) register_builtin_ec(false);
      in_use = false;
      return refusal;
    }
  }
  if (enabled != in_use) register_builtin_ec(enabled);
  in_use = enabled;
  return {};
}

bool builtin_ec_method_in_use() {
  std::lock_guard lock(registration_mutex);
  return in_use;
}

}  // namespace tlshop::pki
