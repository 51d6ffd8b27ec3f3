#pragma once

// Every OpenSSL object tlshop holds is owned by a UniquePtr<T>; this header is the only
// place that names OpenSSL's *_free functions (but for the one ENGINE, whose API is
// deprecated, in builtin_ec_method.cpp).

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace tlshop::pki {

template <typename T>
struct Free;

#define TLSHOP_DEFINE_FREE(type, function)                   \
  template <>                                                \
  struct Free<type> {                                        \
    void operator()(type* p) const noexcept { function(p); } \
  }

// ASN1_INTEGER, ASN1_ENUMERATED, ASN1_TIME and ASN1_OCTET_STRING are all ASN1_STRING.
TLSHOP_DEFINE_FREE(ASN1_STRING, ASN1_STRING_free);
TLSHOP_DEFINE_FREE(BIGNUM, BN_free);
TLSHOP_DEFINE_FREE(BIO, BIO_free_all);
TLSHOP_DEFINE_FREE(BIO_ADDR, BIO_ADDR_free);
TLSHOP_DEFINE_FREE(EVP_CIPHER, EVP_CIPHER_free);
TLSHOP_DEFINE_FREE(EVP_KDF, EVP_KDF_free);
TLSHOP_DEFINE_FREE(EVP_KEYEXCH, EVP_KEYEXCH_free);
TLSHOP_DEFINE_FREE(EVP_KEYMGMT, EVP_KEYMGMT_free);
TLSHOP_DEFINE_FREE(EVP_MAC, EVP_MAC_free);
TLSHOP_DEFINE_FREE(EVP_MAC_CTX, EVP_MAC_CTX_free);
TLSHOP_DEFINE_FREE(EVP_MD, EVP_MD_free);
TLSHOP_DEFINE_FREE(EVP_MD_CTX, EVP_MD_CTX_free);
TLSHOP_DEFINE_FREE(EVP_PKEY, EVP_PKEY_free);
TLSHOP_DEFINE_FREE(EVP_PKEY_CTX, EVP_PKEY_CTX_free);
TLSHOP_DEFINE_FREE(GENERAL_NAME, GENERAL_NAME_free);
TLSHOP_DEFINE_FREE(GENERAL_NAMES, GENERAL_NAMES_free);
TLSHOP_DEFINE_FREE(PKCS12, PKCS12_free);
TLSHOP_DEFINE_FREE(SSL, SSL_free);
TLSHOP_DEFINE_FREE(SSL_CTX, SSL_CTX_free);
TLSHOP_DEFINE_FREE(SSL_SESSION, SSL_SESSION_free);
TLSHOP_DEFINE_FREE(X509, X509_free);
TLSHOP_DEFINE_FREE(X509_CRL, X509_CRL_free);
TLSHOP_DEFINE_FREE(X509_EXTENSION, X509_EXTENSION_free);
TLSHOP_DEFINE_FREE(X509_NAME, X509_NAME_free);
TLSHOP_DEFINE_FREE(X509_REQ, X509_REQ_free);
TLSHOP_DEFINE_FREE(X509_REVOKED, X509_REVOKED_free);
TLSHOP_DEFINE_FREE(X509_STORE, X509_STORE_free);
TLSHOP_DEFINE_FREE(X509_STORE_CTX, X509_STORE_CTX_free);

#undef TLSHOP_DEFINE_FREE

// STACK_OF(X509_EXTENSION) owns its elements.
template <>
struct Free<STACK_OF(X509_EXTENSION)> {
  void operator()(STACK_OF(X509_EXTENSION) * p) const noexcept {
    sk_X509_EXTENSION_pop_free(p, X509_EXTENSION_free);
  }
};

// STACK_OF(X509) owns its elements.
template <>
struct Free<STACK_OF(X509)> {
  void operator()(STACK_OF(X509) * p) const noexcept { sk_X509_pop_free(p, X509_free); }
};

// Memory from OPENSSL_malloc (strings returned by i2s_*, X509_NAME_oneline with NULL, ...).
struct OpensslStringFree {
  void operator()(char* p) const noexcept { OPENSSL_free(p); }
};
using OpensslString = std::unique_ptr<char, OpensslStringFree>;

// Bytes from OPENSSL_malloc (OPENSSL_hexstr2buf), cleansed before they are freed: they
// may be key material.
struct OpensslBytesFree {
  std::size_t size = 0;
  void operator()(unsigned char* p) const noexcept { OPENSSL_clear_free(p, size); }
};
using OpensslBytes = std::unique_ptr<unsigned char, OpensslBytesFree>;

template <typename T>
using UniquePtr = std::unique_ptr<T, Free<T>>;

}  // namespace tlshop::pki
