// tlshop's handshake provider gives the same bytes as OpenSSL for every way libssl calls
// its TLS 1.3 key schedule, and refuses what OpenSSL refuses.
#include "tls/handshake_provider.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include <optional>
#include <string>
#include <vector>

#include "pki/openssl_handles.hpp"
#include "pki/x509_fields.hpp"

namespace tlshop::tls {
namespace {

// One derive as libssl makes it; absent fields are left out of the parameters.
struct KdfCall {
  int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  std::string digest = "SHA2-256";
  std::optional<std::vector<unsigned char>> key = {}, salt = {}, data = {};
  std::string prefix = "tls13 ";
  std::string label = "c hs traffic";
  std::size_t out_size = 32;
};

OSSL_PARAM octets(const char* name, const std::vector<unsigned char>& value) {
  return OSSL_PARAM_construct_octet_string(name, const_cast<unsigned char*>(value.data()),
                                           value.size());
}

std::optional<std::string> derive_with(const char* properties, KdfCall call) {
  pki::UniquePtr<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_TLS1_3_KDF, properties));
  if (!kdf) return std::nullopt;
  pki::UniquePtr<EVP_KDF_CTX> context(EVP_KDF_CTX_new(kdf.get()));
  std::vector<OSSL_PARAM> params = {
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &call.mode),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, call.digest.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PREFIX, call.prefix.data(),
                                        call.prefix.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_LABEL, call.label.data(),
                                        call.label.size())};
  if (call.key) params.push_back(octets(OSSL_KDF_PARAM_KEY, *call.key));
  if (call.salt) params.push_back(octets(OSSL_KDF_PARAM_SALT, *call.salt));
  if (call.data) params.push_back(octets(OSSL_KDF_PARAM_DATA, *call.data));
  params.push_back(OSSL_PARAM_construct_end());
  std::vector<unsigned char> out(call.out_size);
  if (EVP_KDF_derive(context.get(), out.data(), out.size(), params.data()) != 1) {
    return std::nullopt;
  }
  return pki::to_hex(out.data(), out.size());
}

std::vector<unsigned char> random_bytes(std::size_t size) {
  std::vector<unsigned char> bytes(size);
  RAND_bytes(bytes.data(), static_cast<int>(size));
  return bytes;
}

class Tls13Kdf : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(handshake_provider_properties(), nullptr); }

  static std::optional<std::string> ours(const KdfCall& call) {
    return derive_with("provider=tlshop", call);
  }
  static std::optional<std::string> openssls(const KdfCall& call) {
    return derive_with("provider=default", call);
  }
};

TEST_F(Tls13Kdf, Rfc8448EarlySecretAndItsDerivedSalt) {
  KdfCall early{.mode = EVP_KDF_HKDF_MODE_EXTRACT_ONLY, .label = "derived"};
  EXPECT_EQ(ours(early), "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
}

TEST_F(Tls13Kdf, ExpandMatchesOpenSslForEverySizeLibsslAsks) {
  for (const char* digest : {"SHA2-256", "SHA2-384"}) {
    const std::size_t hash_size = std::string(digest) == "SHA2-256" ? 32 : 48;
    for (std::size_t out_size : {12, 16, 32, 48, 100}) {
      for (bool with_data : {false, true}) {
        KdfCall call{.digest = digest, .key = random_bytes(hash_size), .out_size = out_size};
        if (with_data) call.data = random_bytes(hash_size);
        ASSERT_TRUE(ours(call).has_value()) << digest << " " << out_size;
        EXPECT_EQ(ours(call), openssls(call)) << digest << " " << out_size << " " << with_data;
      }
    }
  }
}

TEST_F(Tls13Kdf, ExtractMatchesOpenSslWithAndWithoutThePreviousSecret) {
  for (const char* digest : {"SHA256", "SHA2-384"}) {
    const std::size_t hash_size = std::string(digest) == "SHA256" ? 32 : 48;
    for (int variant = 0; variant < 4; ++variant) {
      KdfCall call{.mode = EVP_KDF_HKDF_MODE_EXTRACT_ONLY,
                   .digest = digest,
                   .label = "derived",
                   .out_size = hash_size};
      if (variant & 1) call.key = random_bytes(hash_size);
      if (variant & 2) call.salt = random_bytes(hash_size);
      ASSERT_TRUE(ours(call).has_value()) << digest << " " << variant;
      EXPECT_EQ(ours(call), openssls(call)) << digest << " " << variant;
    }
  }
}

TEST_F(Tls13Kdf, RefusesWhatOpenSslRefuses) {
  KdfCall good{.key = random_bytes(32)};
  ASSERT_TRUE(ours(good).has_value());

  KdfCall unknown_digest = good;
  unknown_digest.digest = "SHA2-512/224";
  EXPECT_FALSE(ours(unknown_digest).has_value());

  KdfCall both_modes = good;
  both_modes.mode = EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND;
  EXPECT_FALSE(ours(both_modes).has_value());
  EXPECT_FALSE(openssls(both_modes).has_value());

  KdfCall long_label = good;
  long_label.label = std::string(250, 'x');  // with "tls13 ", past HkdfLabel's 255 bytes
  EXPECT_FALSE(ours(long_label).has_value());

  KdfCall no_key = good;
  no_key.key.reset();
  EXPECT_FALSE(ours(no_key).has_value());

  KdfCall short_secret{.mode = EVP_KDF_HKDF_MODE_EXTRACT_ONLY, .out_size = 16};
  EXPECT_FALSE(ours(short_secret).has_value());
  EXPECT_FALSE(openssls(short_secret).has_value());
}

TEST_F(Tls13Kdf, OnlyAPreferringPropertyQueryReachesIt) {
  pki::UniquePtr<EVP_KDF> preferred(
      EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_TLS1_3_KDF, handshake_provider_properties()));
  ASSERT_TRUE(preferred);
  EXPECT_STREQ(OSSL_PROVIDER_get0_name(EVP_KDF_get0_provider(preferred.get())), "tlshop");
  pki::UniquePtr<EVP_KDF> hkdf(EVP_KDF_fetch(nullptr, "HKDF", handshake_provider_properties()));
  ASSERT_TRUE(hkdf);
  EXPECT_STREQ(OSSL_PROVIDER_get0_name(EVP_KDF_get0_provider(hkdf.get())), "default");
}

}  // namespace
}  // namespace tlshop::tls
