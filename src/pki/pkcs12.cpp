#include "pki/pkcs12.hpp"

#include "pki/openssl_error.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {

std::string make_pkcs12(const PrivateKey& key, const std::vector<Certificate>& chain,
                        const std::string& password, const std::string& friendly_name) {
  if (chain.empty()) throw Error("a PKCS#12 file needs a certificate");
  UniquePtr<STACK_OF(X509)> extra(sk_X509_new_null());
  if (!extra) throw_openssl_error("out of memory");
  for (std::size_t i = 1; i < chain.size(); ++i) {
    if (sk_X509_push(extra.get(), chain[i].get()) == 0) throw_openssl_error("out of memory");
    X509_up_ref(chain[i].get());
  }
  UniquePtr<PKCS12> p12(PKCS12_create(
      password.c_str(), friendly_name.c_str(), key.get(), chain.front().get(), extra.get(),
      NID_aes_256_cbc, NID_aes_256_cbc, PKCS12_DEFAULT_ITER, PKCS12_DEFAULT_ITER, 0));
  if (!p12) throw_openssl_error("cannot build the PKCS#12 file");
  unsigned char* der = nullptr;
  int length = i2d_PKCS12(p12.get(), &der);
  if (length < 0) throw_openssl_error("cannot encode the PKCS#12 file");
  std::string result(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return result;
}

}  // namespace tlshop::pki
