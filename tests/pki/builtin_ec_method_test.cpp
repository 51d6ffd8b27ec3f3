// With OpenSSL's built-in EC method in use, certificates must be accepted and refused
// exactly as with its providers. Certificates are issued first: signing needs providers.
#include "pki/builtin_ec_method.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "pki/chain_verification.hpp"
#include "test_authority.hpp"

namespace tlshop::pki {
namespace {

class BuiltinEcMethod : public ::testing::TestWithParam<bool> {
 protected:
  test::TestAuthority authority;
  PrivateKey key = PrivateKey::generate(KeyType::kEcP256);
  PrivateKey other_key = PrivateKey::generate(KeyType::kEcP256);
  std::string leaf_pem = authority.leaf(key, "alice", "clientAuth").to_pem();
  std::string key_pin = public_key_pin(key.get());

  void SetUp() override { use_builtin_ec_method(GetParam()); }
  void TearDown() override { use_builtin_ec_method(false); }

  // Parsed now, with the method of this run.
  static Certificate parse(const std::string& pem) { return Certificate::from_pem(pem, "test"); }

  ChainVerdict verify(const std::string& leaf) const { return verify(parse(leaf)); }

  ChainVerdict verify(const Certificate& leaf) const {
    TrustSettings trust;
    trust.anchors = {parse(authority.root.to_pem())};
    trust.intermediates = {parse(authority.intermediate.to_pem())};
    trust.purpose = Purpose::kClient;
    return verify_chain({leaf}, trust);
  }

  static Certificate from_der(const std::string& der) {
    const unsigned char* next = reinterpret_cast<const unsigned char*>(der.data());
    UniquePtr<X509> parsed(d2i_X509(nullptr, &next, static_cast<long>(der.size())));
    EXPECT_TRUE(parsed);  // the structure still parses
    return Certificate(std::move(parsed));
  }

  // The leaf with the last byte of its signature changed.
  std::string with_signature_changed() const {
    std::string der = parse(leaf_pem).to_der();
    der.back() ^= 0x01;
    return der;
  }

  // The leaf with one byte of its public key point changed: no longer a point on the curve.
  std::string with_key_off_the_curve() const {
    std::string der = parse(leaf_pem).to_der();
    const std::string uncompressed_point_bits("\x03\x42\x00\x04", 4);
    der[der.find(uncompressed_point_bits) + uncompressed_point_bits.size() + 6] ^= 0x01;
    return der;
  }
};

TEST_P(BuiltinEcMethod, IsInUseOnlyWhileTurnedOn) {
  EXPECT_EQ(builtin_ec_method_in_use(), GetParam());
  use_builtin_ec_method(!GetParam());
  EXPECT_EQ(builtin_ec_method_in_use(), !GetParam());
}

// A FIPS configuration must never run keys through the built-in method, which is no part
// of a validated module: asked for it, the process keeps the providers and says why.
TEST_P(BuiltinEcMethod, IsRefusedWhileOpenSslsDefaultPropertiesAskForFips) {
  ASSERT_EQ(EVP_default_properties_enable_fips(nullptr, 1), 1);
  std::string refusal = use_builtin_ec_method(true);
  std::string refusal_asked = builtin_ec_method_refusal();
  bool in_use = builtin_ec_method_in_use();
  ASSERT_EQ(EVP_default_properties_enable_fips(nullptr, 0), 1);
  EXPECT_NE(refusal.find("FIPS"), std::string::npos) << refusal;
  EXPECT_EQ(refusal_asked, refusal);
  EXPECT_FALSE(in_use);
  EXPECT_EQ(builtin_ec_method_refusal(), "");
  EXPECT_EQ(use_builtin_ec_method(true), "");
  EXPECT_TRUE(builtin_ec_method_in_use());
}

TEST_P(BuiltinEcMethod, ACertificateVerifiesAndMatchesOnlyItsKey) {
  Certificate leaf = parse(leaf_pem);
  EXPECT_TRUE(verify(leaf_pem).valid);
  EXPECT_TRUE(leaf.matches(key));
  EXPECT_FALSE(leaf.matches(other_key));
  EXPECT_EQ(leaf.public_key_pin(), key_pin);
}

TEST_P(BuiltinEcMethod, AForgedSignatureIsRefused) {
  ChainVerdict verdict = verify(from_der(with_signature_changed()));
  EXPECT_FALSE(verdict.valid);
  EXPECT_EQ(verdict.error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
}

TEST_P(BuiltinEcMethod, AKeyOffTheCurveGivesNoPublicKey) {
  Certificate parsed = from_der(with_key_off_the_curve());
  EXPECT_EQ(X509_get0_pubkey(parsed.get()), nullptr);
}

INSTANTIATE_TEST_SUITE_P(BothMethods, BuiltinEcMethod, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "BuiltinEc" : "Providers";
                         });

}  // namespace
}  // namespace tlshop::pki
