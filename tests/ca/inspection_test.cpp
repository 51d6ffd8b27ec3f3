#include "ca/inspection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "base/files.hpp"
#include "ca/certificate_authority.hpp"
#include "support/temp_dir.hpp"
#include "tlshop/error.hpp"

namespace tlshop::ca {
namespace {

using ::testing::HasSubstr;

TEST(Inspection, DescribesCertificatesRequestsAndCrls) {
  test::TempDir temp;
  auto authority = CertificateAuthority::init(temp / "ca", {});
  auto leaf = authority.issue(LeafProfile::kClient, "alice", {}, pki::KeyType::kEcP256, 30);

  auto single = inspect_pem(leaf.chain.front().to_pem(), "alice.crt");
  EXPECT_EQ(single.at("type"), "certificate");
  EXPECT_EQ(single.at("subject"), "CN=alice");
  EXPECT_EQ(single.at("public_key"), "EC P-256");
  EXPECT_EQ(single.at("serial").as_string(), leaf.chain.front().serial_hex().c_str());
  EXPECT_THAT(render_inspection(single), HasSubstr("URI:urn:tlshop:client:alice"));

  auto chain = inspect_pem(pki::chain_to_pem(leaf.chain), "alice.crt");
  EXPECT_EQ(chain.at("type"), "certificate_chain");
  EXPECT_EQ(chain.at("certificates").as_array().size(), 2u);

  auto request = pki::CertificateRequest::create(leaf.key, "bob", {});
  auto described = inspect_pem(request.to_pem(), "bob.csr");
  EXPECT_EQ(described.at("type"), "certificate_request");
  EXPECT_EQ(described.at("signature_valid"), true);

  authority.revoke(leaf.chain.front().serial_hex(), CRL_REASON_SUPERSEDED);
  auto crl = inspect_pem(read_file(authority.files().crl()), "crl.pem");
  EXPECT_EQ(crl.at("type"), "crl");
  EXPECT_EQ(crl.at("revoked").as_array().size(), 1u);
  EXPECT_THAT(render_inspection(crl), HasSubstr("superseded"));
}

TEST(Inspection, RefusesWhatItCannotRead) {
  EXPECT_THROW(inspect_pem("plain text", "notes.txt"), Error);
  EXPECT_THROW(inspect_pem("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n", "x"),
               Error);
}

}  // namespace
}  // namespace tlshop::ca
