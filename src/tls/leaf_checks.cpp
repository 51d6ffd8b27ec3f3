#include "tls/leaf_checks.hpp"

#include <openssl/x509v3.h>

namespace tlshop::tls {
namespace {

int checks_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

void free_presented(void*, void* certificate, CRYPTO_EX_DATA*, int, long, void*) {
  X509_free(static_cast<X509*>(certificate));
}

int presented_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_presented);
  return index;
}

// Keeps the leaf the peer presented, so a refusal can say whose certificate it was:
// OpenSSL does not keep the peer's certificate when its verification fails.
void remember_presented(SSL* ssl, X509_STORE_CTX* store) {
  if (SSL_get_ex_data(ssl, presented_index()) != nullptr) return;
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  if (leaf != nullptr && X509_up_ref(leaf) == 1) SSL_set_ex_data(ssl, presented_index(), leaf);
}

int verify_leaf(int preverify_ok, X509_STORE_CTX* store) {
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  remember_presented(ssl, store);
  if (preverify_ok != 1 || X509_STORE_CTX_get_error_depth(store) != 0) return preverify_ok;
  const auto* checks =
      static_cast<const LeafChecks*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), checks_index()));
  if (checks == nullptr) return 1;
  int error = leaf_check_error(*checks, X509_STORE_CTX_get_current_cert(store));
  if (error == X509_V_OK) return 1;
  X509_STORE_CTX_set_error(store, error);
  return 0;
}

}  // namespace

int leaf_check_error(const LeafChecks& checks, X509* leaf) {
  bool has_eku = (X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) != 0;
  if (checks.required_eku != 0 &&
      (!has_eku || (X509_get_extended_key_usage(leaf) & checks.required_eku) == 0)) {
    return X509_V_ERR_INVALID_PURPOSE;
  }
  if (!checks.pins.allows(leaf)) return X509_V_ERR_APPLICATION_VERIFICATION;
  return X509_V_OK;
}

X509* presented_certificate(const SSL* ssl) {
  if (X509* peer = SSL_get0_peer_certificate(ssl)) return peer;
  return static_cast<X509*>(SSL_get_ex_data(ssl, presented_index()));
}

void install_leaf_checks(SSL_CTX* ctx, const LeafChecks* checks) {
  SSL_CTX_set_ex_data(ctx, checks_index(), const_cast<LeafChecks*>(checks));
  SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), verify_leaf);
}

}  // namespace tlshop::tls
