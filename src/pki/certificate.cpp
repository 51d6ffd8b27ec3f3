#include "pki/certificate.hpp"

#include <openssl/pem.h>

#include "pki/bio.hpp"
#include "pki/openssl_error.hpp"
#include "pki/pem_objects.hpp"
#include "pki/private_key.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

UniquePtr<X509> share(X509* x509) {
  if (x509 != nullptr) X509_up_ref(x509);
  return UniquePtr<X509>(x509);
}

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  int length =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

}  // namespace

Certificate::Certificate(const Certificate& other) : x509_(share(other.x509_.get())) {}

Certificate& Certificate::operator=(const Certificate& other) {
  if (this != &other) x509_ = share(other.x509_.get());
  return *this;
}

std::vector<Certificate> Certificate::chain_from_pem(std::string_view pem,
                                                     const std::string& source) {
  return read_pem_objects<Certificate>(pem, source, "-----BEGIN CERTIFICATE-----", "certificate",
                                       PEM_read_bio_X509);
}

Certificate Certificate::from_pem(std::string_view pem, const std::string& source) {
  return std::move(chain_from_pem(pem, source).front());
}

std::string Certificate::to_pem() const {
  auto bio = empty_memory_bio();
  if (PEM_write_bio_X509(bio.get(), x509_.get()) != 1) throw_openssl_error("cannot encode");
  return bio_contents(bio.get());
}

std::string Certificate::to_der() const {
  unsigned char* der = nullptr;
  int length = i2d_X509(x509_.get(), &der);
  if (length < 0) throw_openssl_error("cannot encode a certificate");
  std::string result(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return result;
}

EVP_PKEY* Certificate::public_key() const { return X509_get0_pubkey(x509_.get()); }

std::string Certificate::subject() const { return name_to_string(X509_get_subject_name(get())); }

std::string Certificate::issuer() const { return name_to_string(X509_get_issuer_name(get())); }

std::string Certificate::common_name() const {
  return common_name_of(X509_get_subject_name(get()));
}

std::string Certificate::serial_hex() const { return serial_to_hex(X509_get0_serialNumber(get())); }

std::time_t Certificate::not_before() const { return to_time_t(X509_get0_notBefore(get())); }

std::time_t Certificate::not_after() const { return to_time_t(X509_get0_notAfter(get())); }

bool Certificate::is_ca() const { return X509_check_ca(x509_.get()) != 0; }

bool Certificate::is_self_signed() const { return X509_self_signed(x509_.get(), 0) == 1; }

std::vector<AltName> Certificate::alt_names() const {
  UniquePtr<GENERAL_NAMES> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(x509_.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return {};
  return from_general_names(names.get());
}

std::string Certificate::sha256_fingerprint() const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(x509_.get(), EVP_sha256(), digest, &length) != 1) {
    throw_openssl_error("cannot hash a certificate");
  }
  return to_hex(digest, length, true);
}

std::string Certificate::public_key_pin() const { return pki::public_key_pin(public_key()); }

std::string public_key_pin(EVP_PKEY* key) {
  if (key == nullptr) throw Error("the public key cannot be decoded");
  unsigned char* der = nullptr;
  int length = i2d_PUBKEY(key, &der);
  if (length < 0) throw_openssl_error("cannot encode a public key");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  int ok = EVP_Digest(der, static_cast<std::size_t>(length), digest, &digest_length, EVP_sha256(),
                      nullptr);
  OPENSSL_free(der);
  if (ok != 1) throw_openssl_error("cannot hash a public key");
  return "sha256//" + base64(digest, digest_length);
}

bool Certificate::matches(const PrivateKey& key) const {
  bool ok = X509_check_private_key(x509_.get(), key.get()) == 1;
  take_openssl_error();
  return ok;
}

bool Certificate::signed_by(const Certificate& issuer) const {
  bool ok = X509_verify(x509_.get(), issuer.public_key()) == 1;
  take_openssl_error();
  return ok;
}

std::string chain_to_pem(const std::vector<Certificate>& chain) {
  std::string pem;
  for (const Certificate& certificate : chain) pem += certificate.to_pem();
  return pem;
}

}  // namespace tlshop::pki
