#include "ca/certificate_authority.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "base/files.hpp"
#include "support/temp_dir.hpp"
#include "tlshop/error.hpp"

namespace tlshop::ca {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool is_critical(const pki::Certificate& certificate, int nid) {
  int index = X509_get_ext_by_NID(certificate.get(), nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(certificate.get(), index)) == 1;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

class CertificateAuthorityTest : public ::testing::Test {
 protected:
  test::TempDir temp;
  CertificateAuthority authority = CertificateAuthority::init(temp / "ca", {});

  CertificateAuthority::NewLeaf issue_client(const std::string& name) {
    return authority.issue(LeafProfile::kClient, name, {}, pki::KeyType::kEcP256, 30);
  }
};

TEST_F(CertificateAuthorityTest, RootAndIntermediateAreCasWithTheRightLimits) {
  EXPECT_TRUE(authority.root().is_self_signed());
  EXPECT_TRUE(authority.intermediate().signed_by(authority.root()));
  EXPECT_EQ(X509_get_pathlen(authority.intermediate().get()), 0);
  EXPECT_TRUE(is_critical(authority.intermediate(), NID_basic_constraints));
  EXPECT_EQ(authority.root().subject(), "CN=tlshop Root CA,O=tlshop");
}

TEST_F(CertificateAuthorityTest, InitRefusesToOverwriteACa) {
  std::string root_before = read_file(authority.files().root_certificate());
  EXPECT_THAT(error_of([&] { CertificateAuthority::init(temp / "ca", {}); }),
              HasSubstr("already holds a CA"));
  EXPECT_EQ(read_file(authority.files().root_certificate()), root_before);
}

TEST_F(CertificateAuthorityTest, ServerLeafFollowsTheServerProfile) {
  auto leaf = authority.issue(LeafProfile::kServer, "shop.example",
                              {pki::AltName::parse("IP:127.0.0.1")}, pki::KeyType::kEcP256, 90);
  const pki::Certificate& certificate = leaf.chain.front();
  EXPECT_EQ(leaf.chain.size(), 2u);
  EXPECT_TRUE(certificate.matches(leaf.key));
  EXPECT_FALSE(certificate.is_ca());
  EXPECT_TRUE(is_critical(certificate, NID_basic_constraints));
  EXPECT_EQ(X509_get_extended_key_usage(certificate.get()), static_cast<uint32_t>(XKU_SSL_SERVER));
  EXPECT_EQ(X509_get_key_usage(certificate.get()), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_THAT(certificate.alt_names(), ElementsAre(pki::AltName::parse("DNS:shop.example"),
                                                   pki::AltName::parse("IP:127.0.0.1")));
  EXPECT_NE(X509_get0_subject_key_id(certificate.get()), nullptr);
  EXPECT_NE(X509_get0_authority_key_id(certificate.get()), nullptr);
  std::time_t days = (certificate.not_after() - certificate.not_before()) / 86400;
  EXPECT_EQ(days, 90);
  EXPECT_LT(certificate.not_before(), std::time(nullptr) - 60);
}

TEST_F(CertificateAuthorityTest, ClientLeafNamesTheClientByUri) {
  auto leaf = issue_client("alice");
  const pki::Certificate& certificate = leaf.chain.front();
  EXPECT_EQ(X509_get_extended_key_usage(certificate.get()), static_cast<uint32_t>(XKU_SSL_CLIENT));
  EXPECT_THAT(certificate.alt_names(),
              ElementsAre(pki::AltName::parse("URI:urn:tlshop:client:alice")));
  EXPECT_TRUE(authority.verify(leaf.chain, pki::Purpose::kClient).valid);
  EXPECT_FALSE(authority.verify(leaf.chain, pki::Purpose::kServer).valid);
}

TEST_F(CertificateAuthorityTest, RsaLeavesAlsoAllowKeyEncipherment) {
  auto leaf = authority.issue(LeafProfile::kServer, "rsa.example", {}, pki::KeyType::kRsa3072, 30);
  EXPECT_EQ(X509_get_key_usage(leaf.chain.front().get()),
            static_cast<uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT));
}

TEST_F(CertificateAuthorityTest, SerialsArePositive128BitAndRecorded) {
  auto leaf = issue_client("alice");
  std::string serial = leaf.chain.front().serial_hex();
  EXPECT_EQ(serial.size(), 32u);
  EXPECT_LT(serial[0], '8');
  CaRecords records = authority.records();
  ASSERT_EQ(records.issued.size(), 1u);
  EXPECT_EQ(records.issued[0].serial, serial);
  EXPECT_EQ(records.issued[0].profile, "client");
  EXPECT_EQ(records.issued[0].status(std::time(nullptr)), "valid");
  EXPECT_TRUE(std::filesystem::exists(authority.files().issued() / (serial + ".crt")));
}

TEST_F(CertificateAuthorityTest, RefusesBadNamesAndValidity) {
  EXPECT_THAT(error_of([&] { issue_client("has space"); }), HasSubstr("client name"));
  EXPECT_THAT(error_of([&] {
                authority.issue(LeafProfile::kServer, "bad..name", {}, pki::KeyType::kEcP256, 30);
              }),
              HasSubstr("neither a DNS name nor an IP address"));
  EXPECT_THAT(
      error_of([&] { authority.issue(LeafProfile::kClient, "a", {}, pki::KeyType::kEcP256, 0); }),
      HasSubstr("--days"));
  EXPECT_THAT(error_of([&] {
                authority.issue(LeafProfile::kClient, "a", {}, pki::KeyType::kEcP256, 5000);
              }),
              HasSubstr("--days"));
  EXPECT_TRUE(authority.records().issued.empty());
}

TEST_F(CertificateAuthorityTest, AFailedDeliveryRecordsNothing) {
  EXPECT_THROW(
      authority.issue(LeafProfile::kClient, "alice", {}, pki::KeyType::kEcP256, 30,
                      [](const pki::PrivateKey&, const IssuedChain&) { throw Error("disk full"); }),
      Error);
  EXPECT_TRUE(authority.records().issued.empty());
}

TEST_F(CertificateAuthorityTest, CsrCannotObtainMoreThanItsProfile) {
  // A request for a CA certificate with a code-signing EKU.
  pki::PrivateKey key = pki::PrivateKey::generate(pki::KeyType::kEcP256);
  pki::UniquePtr<X509_REQ> request(X509_REQ_new());
  auto name = X509_NAME_new();
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sneaky.example"), -1, -1, 0);
  X509_REQ_set_subject_name(request.get(), name);
  X509_NAME_free(name);
  X509_REQ_set_pubkey(request.get(), key.get());
  pki::UniquePtr<STACK_OF(X509_EXTENSION)> extensions(sk_X509_EXTENSION_new_null());
  sk_X509_EXTENSION_push(
      extensions.get(),
      X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE"));
  sk_X509_EXTENSION_push(extensions.get(),
                         X509V3_EXT_conf_nid(nullptr, nullptr, NID_ext_key_usage, "codeSigning"));
  X509_REQ_add_extensions(request.get(), extensions.get());
  X509_REQ_sign(request.get(), key.get(), EVP_sha256());

  auto chain =
      authority.sign(pki::CertificateRequest(std::move(request)), LeafProfile::kServer, 30);
  const pki::Certificate& certificate = chain.front();
  EXPECT_FALSE(certificate.is_ca());
  EXPECT_EQ(X509_get_extended_key_usage(certificate.get()), static_cast<uint32_t>(XKU_SSL_SERVER));
  EXPECT_THAT(certificate.alt_names(), ElementsAre(pki::AltName::parse("DNS:sneaky.example")));
  EXPECT_TRUE(certificate.signed_by(authority.intermediate()));
}

TEST_F(CertificateAuthorityTest, RevocationIsPublishedAndFinal) {
  auto bob = issue_client("bob");
  auto carol = issue_client("carol");
  std::string serial = bob.chain.front().serial_hex();
  IssuedRecord record = authority.revoke(serial, CRL_REASON_KEY_COMPROMISE);
  EXPECT_EQ(record.subject, "CN=bob");

  auto crl = pki::RevocationList::from_pem(read_file(authority.files().crl()), "crl.pem");
  ASSERT_EQ(crl.revoked().size(), 1u);
  EXPECT_EQ(crl.revoked()[0].serial_hex, serial);
  EXPECT_EQ(crl.number(), 2u);
  EXPECT_TRUE(crl.signed_by(authority.intermediate()));
  EXPECT_EQ(authority.verify(bob.chain, pki::Purpose::kClient).reason, "certificate revoked");
  EXPECT_TRUE(authority.verify(carol.chain, pki::Purpose::kClient).valid);

  EXPECT_THAT(error_of([&] { authority.revoke(serial, 0); }), HasSubstr("already revoked"));
  EXPECT_THAT(error_of([&] { authority.revoke("0123ABCD", 0); }),
              HasSubstr("no certificate with serial"));
  EXPECT_THAT(error_of([&] { authority.revoke("xyz", 0); }), HasSubstr("not a hexadecimal"));
  EXPECT_EQ(authority.publish_crl().number(), 3u);
}

TEST_F(CertificateAuthorityTest, ConcurrentIssuersNeverShareASerial) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      CertificateAuthority own(temp / "ca");
      for (int i = 0; i < 5; ++i) {
        own.issue(LeafProfile::kClient, "c" + std::to_string(t * 10 + i), {}, pki::KeyType::kEcP256,
                  30);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CaRecords records = authority.records();
  std::set<std::string> serials;
  for (const IssuedRecord& record : records.issued) serials.insert(record.serial);
  EXPECT_EQ(records.issued.size(), 20u);
  EXPECT_EQ(serials.size(), 20u);
}

TEST_F(CertificateAuthorityTest, RotationKeepsOldLeavesValidAndRevocable) {
  auto alice = issue_client("alice");
  std::string old_serial = authority.intermediate().serial_hex();
  authority.rotate_intermediate(pki::KeyType::kEcP256);
  EXPECT_NE(authority.intermediate().serial_hex(), old_serial);
  EXPECT_TRUE(authority.intermediate().signed_by(authority.root()));
  auto bob = issue_client("bob");
  EXPECT_TRUE(bob.chain.front().signed_by(authority.intermediate()));

  CertificateAuthority reopened(temp / "ca");
  ASSERT_EQ(reopened.retired_intermediates().size(), 1u);
  EXPECT_EQ(reopened.retired_intermediates()[0].serial_hex(), old_serial);
  // A leaf presented without its intermediate still verifies: the CA knows both.
  EXPECT_TRUE(reopened.verify({alice.chain.front()}, pki::Purpose::kClient).valid);
  EXPECT_TRUE(reopened.verify(bob.chain, pki::Purpose::kClient).valid);

  reopened.revoke(alice.chain.front().serial_hex(), CRL_REASON_SUPERSEDED);
  auto crls = pki::RevocationList::all_from_pem(read_file(authority.files().crl()), "crl.pem");
  ASSERT_EQ(crls.size(), 2u);
  EXPECT_TRUE(crls[0].revoked().empty());
  ASSERT_EQ(crls[1].revoked().size(), 1u);
  EXPECT_EQ(crls[1].revoked()[0].serial_hex, alice.chain.front().serial_hex());
  EXPECT_EQ(reopened.verify(alice.chain, pki::Purpose::kClient).reason, "certificate revoked");
  EXPECT_TRUE(reopened.verify(bob.chain, pki::Purpose::kClient).valid);
  std::string bundle = read_file(authority.files().chain());
  EXPECT_EQ(pki::Certificate::chain_from_pem(bundle, "ca-chain.crt").size(), 3u);
}

TEST_F(CertificateAuthorityTest, RotationNeedsTheRootKey) {
  std::filesystem::rename(authority.files().root_key(), temp / "offline-root.key");
  std::string before = read_file(authority.files().intermediate_certificate());
  EXPECT_THAT(error_of([&] { authority.rotate_intermediate(pki::KeyType::kEcP256); }),
              HasSubstr("bring the offline root key back"));
  EXPECT_EQ(read_file(authority.files().intermediate_certificate()), before);
  // Everything else goes on without the root key.
  auto leaf = issue_client("alice");
  authority.revoke(leaf.chain.front().serial_hex(), 0);
}

TEST(EncryptedCertificateAuthority, SigningNeedsTheRightPassword) {
  test::TempDir temp;
  CertificateAuthority::init(temp / "ca",
                             {"Locked", pki::KeyType::kEcP256, std::string("pw-1234")});
  EXPECT_TRUE(pki::is_encrypted_pem_key(read_file(temp / "ca" / "intermediate.key")));
  EXPECT_TRUE(pki::is_encrypted_pem_key(read_file(temp / "ca" / "root.key")));

  CertificateAuthority wrong(temp / "ca", std::string("nope"));
  EXPECT_THAT(error_of([&] { wrong.publish_crl(); }), HasSubstr("wrong password"));
  CertificateAuthority none(temp / "ca");
  EXPECT_THAT(error_of([&] { none.publish_crl(); }), HasSubstr("intermediate.key is encrypted"));
  CertificateAuthority right(temp / "ca", std::string("pw-1234"));
  EXPECT_EQ(right.publish_crl().number(), 2u);
}

TEST(CertificateAuthorityDirectory, OpeningSomethingElseSaysSo) {
  test::TempDir temp;
  EXPECT_THAT(error_of([&] { CertificateAuthority(temp / "missing"); }),
              HasSubstr("does not exist"));
  EXPECT_THAT(error_of([&] { CertificateAuthority(temp.path()); }),
              HasSubstr("not a CA directory"));
}

}  // namespace
}  // namespace tlshop::ca
