#include "pki/chain_verification.hpp"

#include <gtest/gtest.h>

#include "pki/revocation_list.hpp"
#include "test_authority.hpp"

namespace tlshop::pki {
namespace {

class ChainVerification : public ::testing::Test {
 protected:
  test::TestAuthority authority;
  PrivateKey key = PrivateKey::generate(KeyType::kEcP256);

  TrustSettings trust(Purpose purpose) const {
    TrustSettings settings;
    settings.anchors = {authority.root};
    settings.intermediates = {authority.intermediate};
    settings.purpose = purpose;
    return settings;
  }

  RevocationList crl_revoking(const std::vector<Certificate>& certificates,
                              std::uint64_t number = 1) const {
    RevocationList::Contents contents;
    for (const Certificate& c : certificates) {
      contents.revoked.push_back(
          {c.serial_hex(), std::time(nullptr) - 10, CRL_REASON_KEY_COMPROMISE});
    }
    contents.number = number;
    contents.this_update = std::time(nullptr) - 60;
    contents.next_update = std::time(nullptr) + 3600;
    return RevocationList::issue(authority.intermediate, authority.intermediate_key, contents);
  }
};

TEST_F(ChainVerification, AcceptsALeafForItsPurpose) {
  Certificate server = authority.leaf(key, "shop.example", "serverAuth");
  Certificate client = authority.leaf(key, "alice", "clientAuth");
  EXPECT_TRUE(verify_chain({server}, trust(Purpose::kServer)).valid);
  EXPECT_TRUE(verify_chain({client}, trust(Purpose::kClient)).valid);
  EXPECT_TRUE(verify_chain({client, authority.intermediate}, trust(Purpose::kAny)).valid);
}

TEST_F(ChainVerification, RefusesTheWrongPurpose) {
  Certificate server = authority.leaf(key, "shop.example", "serverAuth");
  ChainVerdict verdict = verify_chain({server}, trust(Purpose::kClient));
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.error, X509_V_ERR_INVALID_PURPOSE);
}

TEST_F(ChainVerification, RefusesExpiredAndNotYetValid) {
  std::time_t now = std::time(nullptr);
  Certificate expired = authority.leaf(key, "old", "clientAuth", now - 7200, now - 3600);
  Certificate future = authority.leaf(key, "new", "clientAuth", now + 3600, now + 7200);
  EXPECT_EQ(verify_chain({expired}, trust(Purpose::kClient)).error, X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_EQ(verify_chain({future}, trust(Purpose::kClient)).error, X509_V_ERR_CERT_NOT_YET_VALID);
}

TEST_F(ChainVerification, RefusesAForeignChain) {
  test::TestAuthority foreign;
  Certificate stranger = foreign.leaf(key, "mallory", "clientAuth");
  ChainVerdict verdict = verify_chain({stranger, foreign.intermediate}, trust(Purpose::kClient));
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.reason, "not issued by a trusted CA");
}

TEST_F(ChainVerification, RefusesARevokedLeafAndKeepsOthers) {
  Certificate revoked = authority.leaf(key, "bob", "clientAuth");
  Certificate fine = authority.leaf(key, "carol", "clientAuth");
  TrustSettings settings = trust(Purpose::kClient);
  settings.crls.push_back(crl_revoking({revoked}));
  EXPECT_EQ(verify_chain({revoked}, settings).error, X509_V_ERR_CERT_REVOKED);
  EXPECT_TRUE(verify_chain({fine}, settings).valid);
}

TEST_F(ChainVerification, CrlRoundTripsThroughPem) {
  Certificate revoked = authority.leaf(key, "bob", "clientAuth");
  RevocationList crl = crl_revoking({revoked}, 42);
  RevocationList parsed = RevocationList::from_pem(crl.to_pem(), "crl.pem");
  EXPECT_EQ(parsed.number(), 42u);
  ASSERT_EQ(parsed.revoked().size(), 1u);
  EXPECT_EQ(parsed.revoked()[0].serial_hex, revoked.serial_hex());
  EXPECT_EQ(parsed.revoked()[0].reason, CRL_REASON_KEY_COMPROMISE);
  EXPECT_TRUE(parsed.signed_by(authority.intermediate));
  EXPECT_FALSE(parsed.signed_by(authority.root));
}

TEST(RevocationReasons, NamesRoundTrip) {
  for (const std::string& name : revocation_reason_names()) {
    auto code = parse_revocation_reason(name);
    ASSERT_TRUE(code) << name;
    EXPECT_EQ(revocation_reason_name(*code), name);
  }
  EXPECT_FALSE(parse_revocation_reason("certificateHold"));
}

}  // namespace
}  // namespace tlshop::pki
