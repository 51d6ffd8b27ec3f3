#include "pki/chain_verification.hpp"

#include "pki/openssl_error.hpp"
#include "pki/verify_result_words.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

UniquePtr<STACK_OF(X509)> stack_of(const std::vector<Certificate>& certificates,
                                   std::size_t skip = 0) {
  UniquePtr<STACK_OF(X509)> stack(sk_X509_new_null());
  if (!stack) throw_openssl_error("out of memory");
  for (std::size_t i = skip; i < certificates.size(); ++i) {
    if (sk_X509_push(stack.get(), certificates[i].get()) == 0) throw_openssl_error("out of memory");
    X509_up_ref(certificates[i].get());
  }
  return stack;
}

UniquePtr<X509_STORE> make_store(const TrustSettings& trust) {
  UniquePtr<X509_STORE> store(X509_STORE_new());
  if (!store) throw_openssl_error("out of memory");
  for (const Certificate& anchor : trust.anchors) {
    if (X509_STORE_add_cert(store.get(), anchor.get()) != 1) {
      throw_openssl_error("cannot add a trust anchor");
    }
  }
  for (const RevocationList& crl : trust.crls) {
    if (X509_STORE_add_crl(store.get(), crl.get()) != 1) throw_openssl_error("cannot add a CRL");
  }
  return store;
}

int purpose_id(Purpose purpose) {
  switch (purpose) {
    case Purpose::kServer:
      return X509_PURPOSE_SSL_SERVER;
    case Purpose::kClient:
      return X509_PURPOSE_SSL_CLIENT;
    case Purpose::kAny:
      break;
  }
  return 0;
}

}  // namespace

ChainVerdict verify_chain(const std::vector<Certificate>& chain, const TrustSettings& trust) {
  if (chain.empty()) throw Error("no certificate to verify");
  UniquePtr<X509_STORE> store = make_store(trust);
  UniquePtr<STACK_OF(X509)> untrusted = stack_of(chain, 1);
  for (const Certificate& intermediate : trust.intermediates) {
    if (sk_X509_push(untrusted.get(), intermediate.get()) == 0)
      throw_openssl_error("out of memory");
    X509_up_ref(intermediate.get());
  }
  UniquePtr<X509_STORE_CTX> context(X509_STORE_CTX_new());
  if (!context ||
      X509_STORE_CTX_init(context.get(), store.get(), chain.front().get(), untrusted.get()) != 1) {
    throw_openssl_error("cannot start verification");
  }
  X509_VERIFY_PARAM* params = X509_STORE_CTX_get0_param(context.get());
  if (!trust.crls.empty()) X509_VERIFY_PARAM_set_flags(params, X509_V_FLAG_CRL_CHECK);
  X509_VERIFY_PARAM_set_flags(params, X509_V_FLAG_X509_STRICT);
  if (trust.at) X509_VERIFY_PARAM_set_time(params, *trust.at);
  if (int id = purpose_id(trust.purpose); id != 0) X509_STORE_CTX_set_purpose(context.get(), id);

  ChainVerdict verdict;
  verdict.valid = X509_verify_cert(context.get()) == 1;
  take_openssl_error();
  verdict.error = X509_STORE_CTX_get_error(context.get());
  verdict.depth = X509_STORE_CTX_get_error_depth(context.get());
  if (!verdict.valid) verdict.reason = verify_result_words(verdict.error);
  return verdict;
}

}  // namespace tlshop::pki
