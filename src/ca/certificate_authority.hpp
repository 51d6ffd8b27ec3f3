#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ca/ca_files.hpp"
#include "ca/leaf_profile.hpp"
#include "ca/records.hpp"
#include "ca/validity.hpp"
#include "pki/alt_name.hpp"
#include "pki/certificate.hpp"
#include "pki/certificate_request.hpp"
#include "pki/chain_verification.hpp"
#include "pki/private_key.hpp"
#include "pki/revocation_list.hpp"

namespace tlshop::ca {

inline constexpr int kRootDays = 3650;
inline constexpr int kIntermediateDays = 1825;
inline constexpr int kDefaultCrlDays = 30;

struct InitOptions {
  std::string name = "tlshop";
  pki::KeyType key_type = pki::KeyType::kEcP256;
  // When set, root.key and intermediate.key are stored encrypted with it.
  std::optional<std::string> password;
};

// A certificate the CA has just signed: the leaf followed by the intermediate.
using IssuedChain = std::vector<pki::Certificate>;

// Called with a new certificate while the CA still holds its lock and before the
// certificate is recorded; if it throws, the certificate is not recorded. Use it to
// stage the files that deliver the certificate.
using DeliverFunction = std::function<void(const IssuedChain&)>;

// A root and an intermediate certificate authority kept in one directory (see CaFiles).
// Every change to the directory happens under an exclusive file lock and by atomic
// file replacement, so concurrent tlshop processes and crashes cannot corrupt it.
class CertificateAuthority {
 public:
  // Creates a new CA in dir (created if missing); refuses if dir already holds one.
  static CertificateAuthority init(const std::filesystem::path& dir, const InitOptions& options);

  // Opens an existing CA. The password is needed only if the CA keys are encrypted, and
  // only by operations that sign.
  explicit CertificateAuthority(const std::filesystem::path& dir,
                                std::optional<std::string> password = std::nullopt);

  const CaFiles& files() const { return files_; }
  const pki::Certificate& root() const { return root_; }
  const pki::Certificate& intermediate() const { return intermediate_; }
  // Retired intermediates that have not expired, which still vouch for their leaves.
  const std::vector<pki::Certificate>& retired_intermediates() const { return retired_; }

  // Signs a leaf for public_key. The subject and alt names must already follow the
  // profile's rules; issue() and sign() below make sure of that.
  struct LeafSpec {
    LeafProfile profile;
    const X509_NAME* subject;
    EVP_PKEY* public_key;
    std::vector<pki::AltName> alt_names;
    Validity validity;
  };
  IssuedChain sign_leaf(const LeafSpec& spec, const DeliverFunction& deliver = {});

  // A leaf for NAME with a new key of the given type. Servers get NAME (DNS or IP) as a
  // SAN, clients the URI urn:tlshop:client:NAME; both get extra_alt_names too.
  struct NewLeaf {
    pki::PrivateKey key;
    IssuedChain chain;
  };
  using DeliverLeafFunction =
      std::function<void(const pki::PrivateKey& key, const IssuedChain& chain)>;
  // The subject of a new leaf: CN=name, and O and OU when given.
  struct LeafSubject {
    std::string name, organization, organizational_unit;
    LeafSubject(std::string common_name) : name(std::move(common_name)) {}  // NOLINT
    LeafSubject(const char* common_name) : name(common_name) {}             // NOLINT
  };
  NewLeaf issue(LeafProfile profile, const LeafSubject& subject,
                const std::vector<pki::AltName>& extra_alt_names, pki::KeyType key_type,
                const Validity& validity, const DeliverLeafFunction& deliver = {});

  // Signs a CSR under a profile: only its public key, subject and requested SANs are
  // used; the profile decides everything else.
  IssuedChain sign(const pki::CertificateRequest& request, LeafProfile profile,
                   const Validity& validity, const DeliverFunction& deliver = {});

  // A new certificate for what an issued one certifies: its subject, SANs and profile,
  // over a new validity period; with a new key of the given type, or, without one, for
  // the old certificate's own public key. The old certificate stays valid (revoke it
  // to end it). Refuses a certificate this CA did not issue or has revoked.
  struct Renewed {
    std::optional<pki::PrivateKey> key;
    IssuedChain chain;
  };
  using DeliverRenewalFunction =
      std::function<void(const pki::PrivateKey* new_key, const IssuedChain& chain)>;
  Renewed renew(const pki::Certificate& old, std::optional<pki::KeyType> new_key_type,
                const Validity& validity, const DeliverRenewalFunction& deliver = {});

  // Revokes an issued certificate and publishes a new CRL. Throws on an unknown serial
  // or one already revoked.
  IssuedRecord revoke(const std::string& serial, int reason);

  // Signs and writes new CRLs valid for `days`: crl.pem holds one CRL for the current
  // intermediate and one for each retired intermediate that has not expired. Returns
  // the current intermediate's CRL.
  pki::RevocationList publish_crl(int days = kDefaultCrlDays);

  // Replaces the intermediate with a new one signed by the root (root.key must be back
  // in the directory). The old intermediate is retired, not forgotten: certificates it
  // signed stay valid and revocable until they expire.
  void rotate_intermediate(pki::KeyType key_type);

  CaRecords records() const;
  pki::ChainVerdict verify(const std::vector<pki::Certificate>& chain, pki::Purpose purpose) const;

 private:
  const pki::PrivateKey& signing_key();
  pki::PrivateKey load_key(const pki::Certificate& certificate,
                           const std::filesystem::path& key_path) const;
  pki::RevocationList write_crl(CaRecords& records, int days);

  CaFiles files_;
  std::optional<std::string> password_;
  pki::Certificate root_;
  pki::Certificate intermediate_;
  std::vector<pki::Certificate> retired_;
  std::optional<pki::PrivateKey> signing_key_;
};

}  // namespace tlshop::ca
