#include "pki/revocation_list.hpp"

#include <openssl/pem.h>

#include <array>
#include <utility>

#include "pki/bio.hpp"
#include "pki/openssl_error.hpp"
#include "pki/pem_objects.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

// certificateHold is left out on purpose: a tlshop revocation is final.
constexpr std::array<std::pair<int, const char*>, 8> kReasons{{
    {CRL_REASON_UNSPECIFIED, "unspecified"},
    {CRL_REASON_KEY_COMPROMISE, "keyCompromise"},
    {CRL_REASON_CA_COMPROMISE, "cACompromise"},
    {CRL_REASON_AFFILIATION_CHANGED, "affiliationChanged"},
    {CRL_REASON_SUPERSEDED, "superseded"},
    {CRL_REASON_CESSATION_OF_OPERATION, "cessationOfOperation"},
    {CRL_REASON_PRIVILEGE_WITHDRAWN, "privilegeWithdrawn"},
    {CRL_REASON_AA_COMPROMISE, "aACompromise"},
}};

void add_revoked(X509_CRL* crl, const RevokedCertificate& entry) {
  UniquePtr<X509_REVOKED> revoked(X509_REVOKED_new());
  UniquePtr<ASN1_INTEGER> serial = serial_from_hex(entry.serial_hex);
  UniquePtr<ASN1_TIME> when(ASN1_TIME_set(nullptr, entry.revoked_at));
  UniquePtr<ASN1_ENUMERATED> reason(ASN1_ENUMERATED_new());
  if (!revoked || !when || !reason ||
      X509_REVOKED_set_serialNumber(revoked.get(), serial.get()) != 1 ||
      X509_REVOKED_set_revocationDate(revoked.get(), when.get()) != 1 ||
      ASN1_ENUMERATED_set(reason.get(), entry.reason) != 1 ||
      X509_REVOKED_add1_ext_i2d(revoked.get(), NID_crl_reason, reason.get(), 0, 0) != 1 ||
      X509_CRL_add0_revoked(crl, revoked.get()) != 1) {
    throw_openssl_error("cannot add a revoked certificate to the CRL");
  }
  revoked.release();
}

void add_crl_extensions(X509_CRL* crl, const Certificate& issuer, std::uint64_t number) {
  UniquePtr<ASN1_INTEGER> crl_number(ASN1_INTEGER_new());
  if (!crl_number || ASN1_INTEGER_set_uint64(crl_number.get(), number) != 1 ||
      X509_CRL_add1_ext_i2d(crl, NID_crl_number, crl_number.get(), 0, 0) != 1) {
    throw_openssl_error("cannot set the CRL number");
  }
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer.get(), nullptr, nullptr, crl, 0);
  UniquePtr<X509_EXTENSION> key_id(
      X509V3_EXT_conf_nid(nullptr, &context, NID_authority_key_identifier, "keyid:always"));
  if (!key_id || X509_CRL_add_ext(crl, key_id.get(), -1) != 1) {
    throw_openssl_error("cannot set the CRL's authority key identifier");
  }
}

}  // namespace

std::optional<int> parse_revocation_reason(std::string_view name) {
  for (const auto& [code, reason_name] : kReasons) {
    if (name == reason_name) return code;
  }
  return std::nullopt;
}

std::string revocation_reason_name(int reason) {
  for (const auto& [code, reason_name] : kReasons) {
    if (code == reason) return reason_name;
  }
  return "reason " + std::to_string(reason);
}

std::vector<std::string> revocation_reason_names() {
  std::vector<std::string> names;
  for (const auto& entry : kReasons) names.emplace_back(entry.second);
  return names;
}

RevocationList RevocationList::issue(const Certificate& issuer, const PrivateKey& issuer_key,
                                     const Contents& contents) {
  UniquePtr<X509_CRL> crl(X509_CRL_new());
  UniquePtr<ASN1_TIME> last(ASN1_TIME_set(nullptr, contents.this_update));
  UniquePtr<ASN1_TIME> next(ASN1_TIME_set(nullptr, contents.next_update));
  if (!crl || !last || !next || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1) {
    throw_openssl_error("cannot build the CRL");
  }
  for (const RevokedCertificate& entry : contents.revoked) add_revoked(crl.get(), entry);
  add_crl_extensions(crl.get(), issuer, contents.number);
  if (X509_CRL_sort(crl.get()) != 1 ||
      X509_CRL_sign(crl.get(), issuer_key.get(), signing_digest(issuer_key.get())) <= 0) {
    throw_openssl_error("cannot sign the CRL");
  }
  return RevocationList(std::move(crl));
}

RevocationList RevocationList::from_pem(std::string_view pem, const std::string& source) {
  return std::move(all_from_pem(pem, source).front());
}

std::vector<RevocationList> RevocationList::all_from_pem(std::string_view pem,
                                                         const std::string& source) {
  return read_pem_objects<RevocationList>(pem, source, "-----BEGIN X509 CRL-----", "CRL",
                                          PEM_read_bio_X509_CRL);
}

std::string RevocationList::to_pem() const {
  auto bio = empty_memory_bio();
  if (PEM_write_bio_X509_CRL(bio.get(), crl_.get()) != 1) throw_openssl_error("cannot encode");
  return bio_contents(bio.get());
}

std::string RevocationList::issuer() const {
  return name_to_string(X509_CRL_get_issuer(crl_.get()));
}

std::time_t RevocationList::this_update() const {
  return to_time_t(X509_CRL_get0_lastUpdate(crl_.get()));
}

std::optional<std::time_t> RevocationList::next_update() const {
  const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl_.get());
  if (next == nullptr) return std::nullopt;
  return to_time_t(next);
}

std::optional<std::uint64_t> RevocationList::number() const {
  UniquePtr<ASN1_INTEGER> number(static_cast<ASN1_INTEGER*>(
      X509_CRL_get_ext_d2i(crl_.get(), NID_crl_number, nullptr, nullptr)));
  std::uint64_t value = 0;
  if (!number || ASN1_INTEGER_get_uint64(&value, number.get()) != 1) return std::nullopt;
  return value;
}

std::vector<RevokedCertificate> RevocationList::revoked() const {
  std::vector<RevokedCertificate> entries;
  STACK_OF(X509_REVOKED)* list = X509_CRL_get_REVOKED(crl_.get());
  for (int i = 0; i < sk_X509_REVOKED_num(list); ++i) {
    const X509_REVOKED* revoked = sk_X509_REVOKED_value(list, i);
    RevokedCertificate entry;
    entry.serial_hex = serial_to_hex(X509_REVOKED_get0_serialNumber(revoked));
    entry.revoked_at = to_time_t(X509_REVOKED_get0_revocationDate(revoked));
    UniquePtr<ASN1_ENUMERATED> reason(static_cast<ASN1_ENUMERATED*>(
        X509_REVOKED_get_ext_d2i(revoked, NID_crl_reason, nullptr, nullptr)));
    entry.reason = reason ? static_cast<int>(ASN1_ENUMERATED_get(reason.get())) : 0;
    entries.push_back(entry);
  }
  return entries;
}

bool RevocationList::signed_by(const Certificate& issuer) const {
  bool ok = X509_CRL_verify(crl_.get(), issuer.public_key()) == 1;
  take_openssl_error();
  return ok;
}

}  // namespace tlshop::pki
