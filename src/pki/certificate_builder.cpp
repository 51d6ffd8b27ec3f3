#include "pki/certificate_builder.hpp"

#include "pki/openssl_error.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

void add_extension(X509* x509, X509V3_CTX* context, int nid, const std::string& value) {
  UniquePtr<X509_EXTENSION> extension(X509V3_EXT_conf_nid(nullptr, context, nid, value.c_str()));
  if (!extension || X509_add_ext(x509, extension.get(), -1) != 1) {
    throw_openssl_error(std::string("cannot add extension ") + OBJ_nid2sn(nid));
  }
}

void set_validity(X509* x509, std::time_t not_before, std::time_t not_after) {
  if (not_after <= not_before) throw Error("certificate validity ends before it starts");
  if (X509_time_adj_ex(X509_getm_notBefore(x509), 0, 0, &not_before) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(x509), 0, 0, &not_after) == nullptr) {
    throw_openssl_error("cannot set certificate validity");
  }
}

std::string basic_constraints(const CertificateTemplate& spec) {
  if (!spec.is_ca) return "critical,CA:FALSE";
  if (spec.path_length < 0) return "critical,CA:TRUE";
  return "critical,CA:TRUE,pathlen:" + std::to_string(spec.path_length);
}

void add_extensions(X509* x509, const CertificateTemplate& spec, X509* issuer) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, x509, nullptr, nullptr, 0);
  add_extension(x509, &context, NID_basic_constraints, basic_constraints(spec));
  add_extension(x509, &context, NID_key_usage, spec.key_usage);
  if (!spec.extended_key_usage.empty()) {
    add_extension(x509, &context, NID_ext_key_usage, spec.extended_key_usage);
  }
  add_extension(x509, &context, NID_subject_key_identifier, "hash");
  if (issuer != x509) add_extension(x509, &context, NID_authority_key_identifier, "keyid:always");
  if (!spec.alt_names.empty()) {
    UniquePtr<GENERAL_NAMES> names = to_general_names(spec.alt_names);
    if (X509_add1_ext_i2d(x509, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
      throw_openssl_error("cannot add subjectAltName");
    }
  }
}

}  // namespace

Certificate build_certificate(const CertificateTemplate& spec, const PrivateKey& issuer_key,
                              const Certificate* issuer) {
  UniquePtr<X509> x509(X509_new());
  if (!x509) throw_openssl_error("out of memory");
  UniquePtr<ASN1_INTEGER> serial = serial_from_hex(spec.serial_hex);
  const X509_NAME* issuer_name =
      issuer != nullptr ? X509_get_subject_name(issuer->get()) : spec.subject;
  if (X509_set_version(x509.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(x509.get(), serial.get()) != 1 ||
      X509_set_subject_name(x509.get(), spec.subject) != 1 ||
      X509_set_issuer_name(x509.get(), issuer_name) != 1 ||
      X509_set_pubkey(x509.get(), spec.public_key) != 1) {
    throw_openssl_error("cannot build certificate");
  }
  set_validity(x509.get(), spec.not_before, spec.not_after);
  add_extensions(x509.get(), spec, issuer != nullptr ? issuer->get() : x509.get());
  if (X509_sign(x509.get(), issuer_key.get(), signing_digest(issuer_key.get())) <= 0) {
    throw_openssl_error("cannot sign certificate");
  }
  return Certificate(std::move(x509));
}

}  // namespace tlshop::pki
