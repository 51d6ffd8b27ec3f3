// tlshop's HMAC and HKDF against RFC 5869's test vectors and OpenSSL's own HMAC.
#include "tls/hkdf.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <string>
#include <vector>

#include "pki/x509_fields.hpp"

namespace tlshop::tls::hkdf {
namespace {

std::vector<unsigned char> bytes(std::initializer_list<int> values) {
  return {values.begin(), values.end()};
}

std::vector<unsigned char> repeated(unsigned char value, std::size_t count) {
  return std::vector<unsigned char>(count, value);
}

std::string hex(const std::vector<unsigned char>& data) {
  return pki::to_hex(data.data(), data.size());
}

TEST(Hkdf, Rfc5869BasicSha256Case) {
  const auto input = repeated(0x0b, 22);
  const auto salt = bytes({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const auto info = bytes({0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9});
  std::vector<unsigned char> prk(32);
  extract(Hash::kSha256, salt, input, prk.data());
  EXPECT_EQ(hex(prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  std::vector<unsigned char> okm(42);
  ASSERT_TRUE(expand(Hash::kSha256, prk, info, okm));
  EXPECT_EQ(hex(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Hkdf, Rfc5869EmptySaltAndInfo) {
  const auto input = repeated(0x0b, 22);
  std::vector<unsigned char> prk(32);
  extract(Hash::kSha256, {}, input, prk.data());
  EXPECT_EQ(hex(prk), "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
  std::vector<unsigned char> okm(42);
  ASSERT_TRUE(expand(Hash::kSha256, prk, {}, okm));
  EXPECT_EQ(hex(okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(Hkdf, HmacMatchesOpenSslForShortAndLongKeysAndSplitMessages) {
  for (Hash hash : {Hash::kSha256, Hash::kSha384}) {
    const EVP_MD* md = hash == Hash::kSha256 ? EVP_sha256() : EVP_sha384();
    for (std::size_t key_size : {0, 1, 32, 64, 65, 128, 129, 300}) {
      std::vector<unsigned char> key(key_size), message(200);
      RAND_bytes(key.data(), static_cast<int>(key.size()));
      RAND_bytes(message.data(), static_cast<int>(message.size()));
      std::vector<unsigned char> expected(EVP_MAX_MD_SIZE);
      unsigned int expected_size = 0;
      HMAC(md, key.data(), static_cast<int>(key.size()), message.data(), message.size(),
           expected.data(), &expected_size);
      expected.resize(expected_size);
      std::vector<unsigned char> ours(digest_size(hash));
      Bytes all(message);
      hmac(hash, key, all.subspan(0, 7), all.subspan(7, 120), all.subspan(127), ours.data());
      EXPECT_EQ(hex(ours), hex(expected)) << "key of " << key_size << " bytes";
    }
  }
}

TEST(Hkdf, ExpandRefusesMoreThan255Blocks) {
  std::vector<unsigned char> prk(32, 1);
  std::vector<unsigned char> most(255 * 32), too_much(255 * 32 + 1);
  EXPECT_TRUE(expand(Hash::kSha256, prk, {}, most));
  EXPECT_FALSE(expand(Hash::kSha256, prk, {}, too_much));
}

TEST(Hkdf, HashNamesAsOpenSslWritesThem) {
  EXPECT_EQ(hash_named("SHA2-256"), Hash::kSha256);
  EXPECT_EQ(hash_named("sha256"), Hash::kSha256);
  EXPECT_EQ(hash_named("SHA-384"), Hash::kSha384);
  EXPECT_EQ(hash_named("SHA2-384"), Hash::kSha384);
  EXPECT_FALSE(hash_named("SHA2-512"));
  EXPECT_FALSE(hash_named("SHA2-2566"));
  EXPECT_FALSE(hash_named(""));
}

}  // namespace
}  // namespace tlshop::tls::hkdf
