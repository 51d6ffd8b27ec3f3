#include "ca/certificate_authority.hpp"

#include <openssl/rand.h>

#include <algorithm>

#include "base/file_lock.hpp"
#include "base/files.hpp"
#include "base/staged_files.hpp"
#include "pki/certificate_builder.hpp"
#include "pki/openssl_error.hpp"
#include "pki/x509_fields.hpp"
#include "tlshop/error.hpp"

namespace tlshop::ca {
namespace fs = std::filesystem;
namespace {

// 128 random bits with the top bit clear: positive, and 16 bytes in DER.
std::string random_serial() {
  unsigned char bytes[16];
  do {
    if (RAND_bytes(bytes, sizeof bytes) != 1) pki::throw_openssl_error("no randomness");
    bytes[0] &= 0x7f;
  } while (bytes[0] == 0);
  return pki::normalise_serial(pki::to_hex(bytes, sizeof bytes));
}

std::string unused_serial(const CaRecords& records) {
  std::string serial;
  do serial = random_serial();
  while (records.find(serial) != nullptr);
  return serial;
}

pki::Certificate load_certificate(const fs::path& path) {
  return pki::Certificate::from_pem(read_file(path), path.string());
}

void require_ca_directory(const CaFiles& files) {
  std::error_code ec;
  if (!fs::is_directory(files.dir, ec)) {
    throw Error(files.dir.string() + " is not a CA directory (it does not exist)");
  }
  if (!fs::exists(files.intermediate_certificate(), ec) || !fs::exists(files.records(), ec)) {
    throw Error(files.dir.string() + " is not a CA directory (run `tlshop ca init --dir " +
                files.dir.string() + "` first)");
  }
}

std::vector<pki::Certificate> load_retired(const CaFiles& files) {
  std::vector<pki::Certificate> retired;
  std::error_code ec;
  if (!fs::is_directory(files.retired(), ec)) return retired;
  for (const auto& entry : fs::directory_iterator(files.retired())) {
    if (entry.path().extension() != ".crt") continue;
    pki::Certificate certificate = load_certificate(entry.path());
    if (certificate.not_after() > now_seconds()) retired.push_back(std::move(certificate));
  }
  return retired;
}

// The bundle servers trust client certificates by: every intermediate in service, then the root.
std::string chain_bundle(const pki::Certificate& intermediate,
                         const std::vector<pki::Certificate>& retired,
                         const pki::Certificate& root) {
  std::string pem = intermediate.to_pem();
  for (const pki::Certificate& certificate : retired) pem += certificate.to_pem();
  return pem + root.to_pem();
}

std::string leaf_key_usage(EVP_PKEY* key) {
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA ? "critical,digitalSignature,keyEncipherment"
                                                   : "critical,digitalSignature";
}

pki::Certificate make_ca_certificate(const std::string& common_name, const std::string& org,
                                     const pki::PrivateKey& subject_key,
                                     const pki::PrivateKey& issuer_key,
                                     const pki::Certificate* issuer, int days, int path_length) {
  auto subject = pki::make_name(common_name, org);
  pki::CertificateTemplate spec;
  spec.subject = subject.get();
  spec.public_key = subject_key.get();
  spec.serial_hex = random_serial();
  spec.not_before = now_seconds() - kBackdateSeconds;
  spec.not_after = now_seconds() + days * kDaySeconds;
  if (issuer != nullptr) spec.not_after = std::min(spec.not_after, issuer->not_after());
  spec.is_ca = true;
  spec.path_length = path_length;
  spec.key_usage = "critical,keyCertSign,cRLSign,digitalSignature";
  return pki::build_certificate(spec, issuer_key, issuer);
}

// Keys the CA will certify: no RSA under 2048 bits, only the common curves.
void check_acceptable_key(EVP_PKEY* key) {
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) < 2048) {
    throw Error("the certificate request's RSA key is shorter than 2048 bits");
  }
  std::string description = pki::describe_key(key);
  if (id == EVP_PKEY_EC && description != "EC P-256" && description != "EC P-384" &&
      description != "EC P-521") {
    throw Error("the certificate request's key (" + description + ") is not on a supported curve");
  }
  if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC && id != EVP_PKEY_ED25519) {
    throw Error("the certificate request's key type (" + description + ") is not supported");
  }
}

std::vector<pki::AltName> checked_alt_names(const std::vector<pki::AltName>& names) {
  std::vector<pki::AltName> result;
  for (const pki::AltName& name : names) {
    pki::AltName checked = pki::AltName::parse(name.to_string());
    if (std::find(result.begin(), result.end(), checked) == result.end()) result.push_back(checked);
  }
  return result;
}

}  // namespace

CertificateAuthority CertificateAuthority::init(const fs::path& dir, const InitOptions& options) {
  if (options.name.empty() || options.name.size() > 48) {
    throw Error("the CA name must be 1 to 48 characters");
  }
  CaFiles files{dir};
  create_directories(dir, 0700);
  FileLock lock(files.lock());
  std::error_code ec;
  if (fs::exists(files.root_certificate(), ec) || fs::exists(files.records(), ec)) {
    throw Error(dir.string() + " already holds a CA; refusing to overwrite it");
  }
  pki::PrivateKey root_key = pki::PrivateKey::generate(options.key_type);
  pki::PrivateKey intermediate_key = pki::PrivateKey::generate(options.key_type);
  pki::Certificate root = make_ca_certificate(options.name + " Root CA", options.name, root_key,
                                              root_key, nullptr, kRootDays, 1);
  pki::Certificate intermediate =
      make_ca_certificate(options.name + " Intermediate CA", options.name, intermediate_key,
                          root_key, &root, kIntermediateDays, 0);
  create_directories(files.issued(), 0700);

  StagedFiles staged;
  staged.stage(files.root_key(), root_key.to_pem(options.password), kSecretFileMode);
  staged.stage(files.intermediate_key(), intermediate_key.to_pem(options.password),
               kSecretFileMode);
  staged.stage(files.root_certificate(), root.to_pem(), kPublicFileMode);
  staged.stage(files.intermediate_certificate(), intermediate.to_pem(), kPublicFileMode);
  staged.stage(files.chain(), chain_bundle(intermediate, {}, root), kPublicFileMode);
  CaRecords records;
  records.next_crl_number = 2;
  pki::RevocationList crl = pki::RevocationList::issue(
      intermediate, intermediate_key,
      {{}, 1, now_seconds() - kBackdateSeconds, now_seconds() + kDefaultCrlDays * kDaySeconds});
  staged.stage(files.crl(), crl.to_pem(), kPublicFileMode);
  // records.json last: its presence is what makes the directory a CA.
  staged.commit();
  records.save(files.records());
  return CertificateAuthority(dir, options.password);
}

CertificateAuthority::CertificateAuthority(const fs::path& dir, std::optional<std::string> password)
    : files_{dir},
      password_(std::move(password)),
      root_((require_ca_directory(files_), load_certificate(files_.root_certificate()))),
      intermediate_(load_certificate(files_.intermediate_certificate())),
      retired_(load_retired(files_)) {}

pki::PrivateKey CertificateAuthority::load_key(const pki::Certificate& certificate,
                                               const fs::path& key_path) const {
  pki::PrivateKey key =
      pki::PrivateKey::from_pem(read_file(key_path), password_, key_path.string());
  if (!certificate.matches(key)) {
    throw Error(key_path.string() + " does not match the certificate " + certificate.subject());
  }
  return key;
}

const pki::PrivateKey& CertificateAuthority::signing_key() {
  if (!signing_key_) signing_key_ = load_key(intermediate_, files_.intermediate_key());
  return *signing_key_;
}

IssuedChain CertificateAuthority::sign_leaf(const LeafSpec& leaf, const DeliverFunction& deliver) {
  leaf.validity.check(intermediate_.not_after());
  const pki::PrivateKey& key = signing_key();
  FileLock lock(files_.lock());
  CaRecords records = CaRecords::load(files_.records());

  pki::CertificateTemplate spec;
  spec.subject = leaf.subject;
  spec.public_key = leaf.public_key;
  spec.serial_hex = unused_serial(records);
  spec.not_before = leaf.validity.not_before;
  spec.not_after = leaf.validity.not_after;
  spec.key_usage = leaf_key_usage(leaf.public_key);
  spec.extended_key_usage = leaf.profile == LeafProfile::kServer ? "serverAuth" : "clientAuth";
  spec.alt_names = leaf.alt_names;
  IssuedChain chain{pki::build_certificate(spec, key, &intermediate_), intermediate_};
  const pki::Certificate& certificate = chain.front();

  if (deliver) deliver(chain);
  IssuedRecord record;
  record.serial = certificate.serial_hex();
  record.subject = certificate.subject();
  record.profile = std::string(leaf_profile_name(leaf.profile));
  record.not_before = certificate.not_before();
  record.not_after = certificate.not_after();
  record.issued_at = now_seconds();
  record.fingerprint = certificate.sha256_fingerprint();
  record.issuer_serial = intermediate_.serial_hex();
  write_file_atomically(files_.issued() / (record.serial + ".crt"), certificate.to_pem());
  records.issued.push_back(record);
  records.save(files_.records());
  return chain;
}

CertificateAuthority::NewLeaf CertificateAuthority::issue(
    LeafProfile profile, const LeafSubject& subject,
    const std::vector<pki::AltName>& extra_alt_names, pki::KeyType key_type,
    const Validity& validity, const DeliverLeafFunction& deliver) {
  const std::string& name = subject.name;
  std::vector<pki::AltName> alt_names;
  if (profile == LeafProfile::kServer) {
    if (pki::is_ip_address(name)) {
      alt_names.push_back({pki::AltName::Kind::kIp, name});
    } else if (pki::is_valid_dns_name(name)) {
      alt_names.push_back({pki::AltName::Kind::kDns, name});
    } else {
      throw Error("server name '" + name + "' is neither a DNS name nor an IP address");
    }
  } else {
    if (!is_valid_client_name(name)) {
      throw Error("client name '" + name +
                  "' must be 1 to 64 letters, digits or the characters . _ @ -");
    }
    alt_names.push_back({pki::AltName::Kind::kUri, client_uri(name)});
  }
  for (const pki::AltName& extra : extra_alt_names) {
    if (extra.kind == pki::AltName::Kind::kUri && extra.value.starts_with(client_uri(""))) {
      throw Error("the URI " + extra.value + " names a tlshop client; it comes from --client only");
    }
  }
  alt_names.insert(alt_names.end(), extra_alt_names.begin(), extra_alt_names.end());
  NewLeaf leaf{pki::PrivateKey::generate(key_type), {}};
  auto subject_name = pki::make_name(name, subject.organization, subject.organizational_unit);
  leaf.chain = sign_leaf(
      {profile, subject_name.get(), leaf.key.get(), checked_alt_names(alt_names), validity},
      [&](const IssuedChain& chain) {
        if (deliver) deliver(leaf.key, chain);
      });
  return leaf;
}

IssuedChain CertificateAuthority::sign(const pki::CertificateRequest& request, LeafProfile profile,
                                       const Validity& validity, const DeliverFunction& deliver) {
  if (!request.signature_is_valid()) {
    throw Error("the certificate request's signature does not verify; it was altered or damaged");
  }
  check_acceptable_key(request.public_key());
  std::string common_name = pki::common_name_of(request.subject_name());
  if (common_name.empty()) throw Error("the certificate request has no common name (CN)");
  std::vector<pki::AltName> alt_names = checked_alt_names(request.requested_alt_names());
  if (profile == LeafProfile::kServer && alt_names.empty()) {
    if (pki::is_ip_address(common_name)) {
      alt_names.push_back({pki::AltName::Kind::kIp, common_name});
    } else if (pki::is_valid_dns_name(common_name)) {
      alt_names.push_back({pki::AltName::Kind::kDns, common_name});
    } else {
      throw Error("a server certificate needs a DNS name or IP address; the request has neither");
    }
  }
  return sign_leaf({profile, request.subject_name(), request.public_key(), alt_names, validity},
                   deliver);
}

CertificateAuthority::Renewed CertificateAuthority::renew(const pki::Certificate& old,
                                                          std::optional<pki::KeyType> new_key_type,
                                                          const Validity& validity,
                                                          const DeliverRenewalFunction& deliver) {
  CaRecords issued = records();
  const IssuedRecord* record = issued.find(old.serial_hex());
  if (record == nullptr || record->fingerprint != old.sha256_fingerprint()) {
    throw Error("this CA did not issue " + old.subject() + " (serial " + old.serial_hex() + ")");
  }
  if (record->revoked_at) {
    throw Error(old.subject() + " is revoked: issue a new certificate rather than renew it");
  }
  auto profile = parse_leaf_profile(record->profile);
  if (!profile) throw Error("the records name an unknown profile '" + record->profile + "'");
  Renewed renewed;
  if (new_key_type) renewed.key = pki::PrivateKey::generate(*new_key_type);
  EVP_PKEY* public_key = renewed.key ? renewed.key->get() : old.public_key();
  const pki::PrivateKey* new_key = renewed.key ? &*renewed.key : nullptr;
  renewed.chain =
      sign_leaf({*profile, X509_get_subject_name(old.get()), public_key, old.alt_names(), validity},
                [&](const IssuedChain& chain) {
                  if (deliver) deliver(new_key, chain);
                });
  return renewed;
}

IssuedRecord CertificateAuthority::revoke(const std::string& serial_text, int reason) {
  std::string serial = pki::normalise_serial(serial_text);
  if (serial.empty()) throw Error("'" + serial_text + "' is not a hexadecimal serial number");
  signing_key();
  FileLock lock(files_.lock());
  CaRecords records = CaRecords::load(files_.records());
  IssuedRecord* record = records.find(serial);
  if (record == nullptr)
    throw Error("no certificate with serial " + serial + " was issued by this CA");
  if (record->revoked_at) {
    throw Error("certificate " + serial + " (" + record->subject + ") is already revoked since " +
                pki::format_time(*record->revoked_at));
  }
  record->revoked_at = now_seconds();
  record->revocation_reason = reason;
  IssuedRecord revoked = *record;
  write_crl(records, kDefaultCrlDays);
  return revoked;
}

pki::RevocationList CertificateAuthority::publish_crl(int days) {
  if (days < 1 || days > 366) throw Error("--days for a CRL must be between 1 and 366");
  signing_key();
  FileLock lock(files_.lock());
  CaRecords records = CaRecords::load(files_.records());
  return write_crl(records, days);
}

pki::RevocationList CertificateAuthority::write_crl(CaRecords& records, int days) {
  pki::RevocationList::Contents contents;
  contents.number = records.next_crl_number++;
  contents.this_update = now_seconds() - kBackdateSeconds;
  contents.next_update = now_seconds() + days * kDaySeconds;
  auto crl_of = [&](const pki::Certificate& issuer, const pki::PrivateKey& key) {
    contents.revoked.clear();
    for (const IssuedRecord& record : records.issued) {
      if (record.revoked_at && record.issuer_serial == issuer.serial_hex()) {
        contents.revoked.push_back(
            {record.serial, *record.revoked_at, record.revocation_reason.value_or(0)});
      }
    }
    return pki::RevocationList::issue(issuer, key, contents);
  };
  pki::RevocationList current = crl_of(intermediate_, signing_key());
  std::string bundle = current.to_pem();
  for (const pki::Certificate& retired : retired_) {
    pki::PrivateKey key = load_key(retired, files_.retired_key(retired.serial_hex()));
    bundle += crl_of(retired, key).to_pem();
  }
  // The records first: a crash in between leaves a CRL number skipped, never reused.
  records.save(files_.records());
  write_file_atomically(files_.crl(), bundle);
  return current;
}

void CertificateAuthority::rotate_intermediate(pki::KeyType key_type) {
  std::error_code ec;
  if (!fs::exists(files_.root_key(), ec)) {
    throw Error(files_.root_key().string() +
                " is missing: bring the offline root key back to rotate the intermediate");
  }
  pki::PrivateKey root_key = load_key(root_, files_.root_key());
  signing_key();
  FileLock lock(files_.lock());
  pki::PrivateKey new_key = pki::PrivateKey::generate(key_type);
  std::string organization =
      pki::name_entry(X509_get_subject_name(root_.get()), NID_organizationName);
  // A name of its own: clients that see their issuer named by a server leave the
  // intermediate out, which is only safe if a name means one key.
  std::string generation = std::to_string(retired_.size() + 2);
  pki::Certificate replacement =
      make_ca_certificate(organization + " Intermediate CA " + generation, organization, new_key,
                          root_key, &root_, kIntermediateDays, 0);
  std::string old_serial = intermediate_.serial_hex();
  create_directories(files_.retired(), 0700);
  std::vector<pki::Certificate> retired = retired_;
  retired.push_back(intermediate_);

  StagedFiles staged;
  staged.stage(files_.retired_certificate(old_serial), intermediate_.to_pem(), kPublicFileMode);
  staged.stage(files_.retired_key(old_serial), signing_key().to_pem(password_), kSecretFileMode);
  staged.stage(files_.intermediate_key(), new_key.to_pem(password_), kSecretFileMode);
  staged.stage(files_.intermediate_certificate(), replacement.to_pem(), kPublicFileMode);
  staged.stage(files_.chain(), chain_bundle(replacement, retired, root_), kPublicFileMode);
  staged.commit();

  intermediate_ = replacement;
  retired_ = std::move(retired);
  signing_key_ = std::move(new_key);
  CaRecords records = CaRecords::load(files_.records());
  write_crl(records, kDefaultCrlDays);
}

CaRecords CertificateAuthority::records() const { return CaRecords::load(files_.records()); }

pki::ChainVerdict CertificateAuthority::verify(const std::vector<pki::Certificate>& chain,
                                               pki::Purpose purpose) const {
  pki::TrustSettings trust;
  trust.anchors = {root_};
  trust.intermediates = retired_;
  trust.intermediates.push_back(intermediate_);
  trust.purpose = purpose;
  std::error_code ec;
  if (fs::exists(files_.crl(), ec)) {
    trust.crls = pki::RevocationList::all_from_pem(read_file(files_.crl()), files_.crl().string());
  }
  return pki::verify_chain(chain, trust);
}

}  // namespace tlshop::ca
