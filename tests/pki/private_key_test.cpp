#include "pki/private_key.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

using ::testing::HasSubstr;

class EveryKeyType : public ::testing::TestWithParam<KeyType> {};

TEST_P(EveryKeyType, GeneratesAndRoundTripsThroughPem) {
  PrivateKey key = PrivateKey::generate(GetParam());
  std::string pem = key.to_pem();
  EXPECT_THAT(pem, HasSubstr("-----BEGIN PRIVATE KEY-----"));
  PrivateKey again = PrivateKey::from_pem(pem, std::nullopt, "key.pem");
  EXPECT_EQ(EVP_PKEY_eq(key.get(), again.get()), 1);
}

INSTANTIATE_TEST_SUITE_P(Pki, EveryKeyType,
                         ::testing::Values(KeyType::kEcP256, KeyType::kEd25519, KeyType::kRsa3072));

TEST(PrivateKey, DescribesItsAlgorithm) {
  EXPECT_EQ(describe_key(PrivateKey::generate(KeyType::kEcP256).get()), "EC P-256");
  EXPECT_EQ(describe_key(PrivateKey::generate(KeyType::kEd25519).get()), "Ed25519");
  EXPECT_EQ(describe_key(PrivateKey::generate(KeyType::kRsa3072).get()), "RSA 3072");
}

TEST(PrivateKey, KeyTypeNamesRoundTrip) {
  for (KeyType type : {KeyType::kEcP256, KeyType::kEd25519, KeyType::kRsa3072, KeyType::kRsa4096}) {
    EXPECT_EQ(parse_key_type(key_type_name(type)), type);
  }
  EXPECT_FALSE(parse_key_type("dsa-1024"));
}

TEST(PrivateKey, EncryptedPemNeedsTheRightPassword) {
  PrivateKey key = PrivateKey::generate(KeyType::kEcP256);
  std::string pem = key.to_pem(std::string("correct horse"));
  EXPECT_THAT(pem, HasSubstr("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  EXPECT_TRUE(is_encrypted_pem_key(pem));

  PrivateKey again = PrivateKey::from_pem(pem, std::string("correct horse"), "ca.key");
  EXPECT_EQ(EVP_PKEY_eq(key.get(), again.get()), 1);
  try {
    PrivateKey::from_pem(pem, std::string("wrong"), "ca.key");
    FAIL() << "a wrong password was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "wrong password for ca.key");
  }
  try {
    PrivateKey::from_pem(pem, std::nullopt, "ca.key");
    FAIL() << "an encrypted key loaded without a password";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("encrypted"));
  }
}

TEST(PrivateKey, RefusesWhatIsNotAKey) {
  EXPECT_THROW(PrivateKey::from_pem("hello", std::nullopt, "x"), Error);
  EXPECT_THROW(
      PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                           std::nullopt, "x"),
      Error);
}

}  // namespace
}  // namespace tlshop::pki
