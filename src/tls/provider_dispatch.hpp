#pragma once

#include <openssl/core.h>

namespace tlshop::tls {

// One entry of an OpenSSL provider's function table: OpenSSL stores every function as
// void (*)(void) and casts it back by id.
template <class Function>
OSSL_DISPATCH dispatch(int id, Function* function) {
  return {id, reinterpret_cast<void (*)()>(function)};
}

}  // namespace tlshop::tls
