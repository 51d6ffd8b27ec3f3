#include "pki/certificate_request.hpp"

#include <openssl/pem.h>

#include "pki/bio.hpp"
#include "pki/openssl_error.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

UniquePtr<STACK_OF(X509_EXTENSION)> extensions_of(X509_REQ* request) {
  return UniquePtr<STACK_OF(X509_EXTENSION)>(X509_REQ_get_extensions(request));
}

}  // namespace

CertificateRequest CertificateRequest::create(const PrivateKey& key, const std::string& common_name,
                                              const std::vector<AltName>& alt_names) {
  UniquePtr<X509_REQ> request(X509_REQ_new());
  if (!request) throw_openssl_error("out of memory");
  UniquePtr<X509_NAME> subject = make_name(common_name, "");
  if (X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1 ||
      X509_REQ_set_subject_name(request.get(), subject.get()) != 1 ||
      X509_REQ_set_pubkey(request.get(), key.get()) != 1) {
    throw_openssl_error("cannot build certificate request");
  }
  if (!alt_names.empty()) {
    UniquePtr<STACK_OF(X509_EXTENSION)> extensions(sk_X509_EXTENSION_new_null());
    UniquePtr<GENERAL_NAMES> names = to_general_names(alt_names);
    X509_EXTENSION* san = X509V3_EXT_i2d(NID_subject_alt_name, 0, names.get());
    if (!extensions || san == nullptr || sk_X509_EXTENSION_push(extensions.get(), san) == 0 ||
        X509_REQ_add_extensions(request.get(), extensions.get()) != 1) {
      throw_openssl_error("cannot add subjectAltName to the request");
    }
  }
  if (X509_REQ_sign(request.get(), key.get(), signing_digest(key.get())) <= 0) {
    throw_openssl_error("cannot sign certificate request");
  }
  return CertificateRequest(std::move(request));
}

CertificateRequest CertificateRequest::from_pem(std::string_view pem, const std::string& source) {
  if (pem.find("-----BEGIN CERTIFICATE REQUEST-----") == std::string_view::npos &&
      pem.find("-----BEGIN NEW CERTIFICATE REQUEST-----") == std::string_view::npos) {
    throw Error(source + " is not a PEM certificate request");
  }
  auto bio = memory_bio(pem);
  UniquePtr<X509_REQ> request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!request) {
    std::string reason = take_openssl_error();
    throw Error(source + " holds a malformed certificate request" +
                (reason.empty() ? "" : ": " + reason));
  }
  return CertificateRequest(std::move(request));
}

std::string CertificateRequest::to_pem() const {
  auto bio = empty_memory_bio();
  if (PEM_write_bio_X509_REQ(bio.get(), request_.get()) != 1) throw_openssl_error("cannot encode");
  return bio_contents(bio.get());
}

EVP_PKEY* CertificateRequest::public_key() const { return X509_REQ_get0_pubkey(request_.get()); }

bool CertificateRequest::signature_is_valid() const {
  EVP_PKEY* key = public_key();
  bool ok = key != nullptr && X509_REQ_verify(request_.get(), key) == 1;
  take_openssl_error();
  return ok;
}

const X509_NAME* CertificateRequest::subject_name() const {
  return X509_REQ_get_subject_name(request_.get());
}

std::string CertificateRequest::subject() const { return name_to_string(subject_name()); }

std::vector<AltName> CertificateRequest::requested_alt_names() const {
  auto extensions = extensions_of(request_.get());
  if (!extensions) return {};
  UniquePtr<GENERAL_NAMES> names(static_cast<GENERAL_NAMES*>(
      X509V3_get_d2i(extensions.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return {};
  return from_general_names(names.get());
}

std::vector<std::string> CertificateRequest::requested_extensions() const {
  std::vector<std::string> names;
  auto extensions = extensions_of(request_.get());
  for (int i = 0; extensions && i < sk_X509_EXTENSION_num(extensions.get()); ++i) {
    ASN1_OBJECT* object = X509_EXTENSION_get_object(sk_X509_EXTENSION_value(extensions.get(), i));
    names.emplace_back(OBJ_nid2sn(OBJ_obj2nid(object)));
  }
  return names;
}

}  // namespace tlshop::pki
