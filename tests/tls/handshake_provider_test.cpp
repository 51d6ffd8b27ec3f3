// tlshop's handshake provider gives the same bytes as OpenSSL for every way libssl calls
// it (the TLS 1.3 key schedule, HMAC, X25519 key shares), and refuses what OpenSSL refuses.
#include "tls/handshake_provider.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pki/openssl_handles.hpp"
#include "pki/x509_fields.hpp"
#include "tls/openssl_x25519.hpp"
#include "tls/x25519_keys.hpp"

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

// --- HMAC ---

std::optional<std::string> mac_with(const char* properties, const char* digest,
                                    const std::vector<unsigned char>& key,
                                    const std::vector<unsigned char>& message) {
  std::array<unsigned char, 64> out{};
  std::size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", properties, digest, nullptr, key.data(), key.size(),
                message.data(), message.size(), out.data(), out.size(), &size) == nullptr) {
    return std::nullopt;
  }
  return pki::to_hex(out.data(), size);
}

TEST_F(Tls13Kdf, HmacMatchesOpenSslsForBothDigestsAndEveryKeySize) {
  for (const char* digest : {"SHA2-256", "SHA384"}) {
    for (std::size_t key_size : {0, 1, 32, 48, 64, 65, 128, 129, 300}) {
      auto key = random_bytes(key_size);
      auto message = random_bytes(77);
      ASSERT_TRUE(mac_with("provider=tlshop", digest, key, message).has_value());
      EXPECT_EQ(mac_with("provider=tlshop", digest, key, message),
                mac_with("provider=default", digest, key, message))
          << digest << " key of " << key_size << " bytes";
    }
  }
}

TEST_F(Tls13Kdf, HmacInPiecesAndCopiedMidwayAsOpenSslsPrf) {
  pki::UniquePtr<EVP_MAC> mac(EVP_MAC_fetch(nullptr, "HMAC", "provider=tlshop"));
  pki::UniquePtr<EVP_MAC_CTX> context(EVP_MAC_CTX_new(mac.get()));
  auto key = random_bytes(48);
  auto message = random_bytes(100);
  char digest[] = "SHA2-384";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  ASSERT_EQ(EVP_MAC_init(context.get(), key.data(), key.size(), params), 1);
  EXPECT_EQ(EVP_MAC_CTX_get_mac_size(context.get()), 48u);
  ASSERT_EQ(EVP_MAC_update(context.get(), message.data(), 30), 1);
  pki::UniquePtr<EVP_MAC_CTX> copy(EVP_MAC_CTX_dup(context.get()));
  ASSERT_TRUE(copy);
  for (EVP_MAC_CTX* each : {context.get(), copy.get()}) {
    ASSERT_EQ(EVP_MAC_update(each, message.data() + 30, 70), 1);
    std::array<unsigned char, 48> out{};
    std::size_t size = 0;
    ASSERT_EQ(EVP_MAC_final(each, out.data(), &size, out.size()), 1);
    EXPECT_EQ(pki::to_hex(out.data(), size), mac_with("provider=default", digest, key, message));
  }
}

TEST_F(Tls13Kdf, HmacRefusesOtherDigestsAndTheRecordLayersMode) {
  auto key = random_bytes(32);
  auto message = random_bytes(10);
  EXPECT_FALSE(mac_with("provider=tlshop", "SHA2-512", key, message).has_value());
  EXPECT_FALSE(mac_with("provider=tlshop", "SHA1", key, message).has_value());

  pki::UniquePtr<EVP_MAC> mac(EVP_MAC_fetch(nullptr, "HMAC", "provider=tlshop"));
  pki::UniquePtr<EVP_MAC_CTX> context(EVP_MAC_CTX_new(mac.get()));
  std::size_t data_size = 100;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_TLS_DATA_SIZE, &data_size),
                         OSSL_PARAM_construct_end()};
  EXPECT_EQ(EVP_MAC_CTX_set_params(context.get(), params), 0);
}

// --- X25519 ---

std::string hex(const unsigned char* data, std::size_t size) { return pki::to_hex(data, size); }

std::string openssl_public_key(const std::array<unsigned char, 32>& private_key) {
  pki::UniquePtr<EVP_PKEY> key(EVP_PKEY_new_raw_private_key_ex(
      nullptr, "X25519", "provider=default", private_key.data(), private_key.size()));
  std::array<unsigned char, 32> public_key{};
  std::size_t size = public_key.size();
  EXPECT_EQ(EVP_PKEY_get_raw_public_key(key.get(), public_key.data(), &size), 1);
  return hex(public_key.data(), size);
}

pki::UniquePtr<EVP_PKEY> generate_x25519(const char* properties) {
  pki::UniquePtr<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_from_name(nullptr, "X25519", properties));
  EVP_PKEY* key = nullptr;
  EXPECT_EQ(EVP_PKEY_keygen_init(context.get()), 1);
  EXPECT_EQ(EVP_PKEY_keygen(context.get(), &key), 1);
  return pki::UniquePtr<EVP_PKEY>(key);
}

std::string provider_of(const EVP_PKEY* key) {
  return OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(key));
}

std::vector<unsigned char> encoded_public_key(EVP_PKEY* key) {
  unsigned char* encoded = nullptr;
  std::size_t size = EVP_PKEY_get1_encoded_public_key(key, &encoded);
  std::vector<unsigned char> bytes(encoded, encoded + size);
  OPENSSL_free(encoded);
  return bytes;
}

// A peer's share as libssl holds it: key parameters for the group, then its public key.
pki::UniquePtr<EVP_PKEY> peer_share(const std::vector<unsigned char>& public_key) {
  pki::UniquePtr<EVP_PKEY_CTX> context(
      EVP_PKEY_CTX_new_from_name(nullptr, "X25519", handshake_provider_properties()));
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_paramgen_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(context.get(), "x25519") != 1 ||
      EVP_PKEY_paramgen(context.get(), &key) != 1) {
    return nullptr;
  }
  pki::UniquePtr<EVP_PKEY> share(key);
  if (EVP_PKEY_set1_encoded_public_key(share.get(), public_key.data(), public_key.size()) != 1) {
    return nullptr;
  }
  return share;
}

// As libssl derives: with the SSL_CTX's property query (here: ours for our keys).
std::optional<std::string> shared_secret(EVP_PKEY* own, EVP_PKEY* peer) {
  const char* properties =
      provider_of(own) == "tlshop" ? handshake_provider_properties() : "provider=default";
  pki::UniquePtr<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_from_pkey(nullptr, own, properties));
  std::array<unsigned char, 32> secret{};
  std::size_t size = secret.size();
  if (EVP_PKEY_derive_init(context.get()) != 1) return std::nullopt;
  EXPECT_EQ(OSSL_PROVIDER_get0_name(EVP_PKEY_CTX_get0_provider(context.get())), provider_of(own));
  if (EVP_PKEY_derive_set_peer(context.get(), peer) != 1 ||
      EVP_PKEY_derive(context.get(), secret.data(), &size) != 1) {
    return std::nullopt;
  }
  return hex(secret.data(), size);
}

std::array<unsigned char, 32> from_hex(const std::string& text) {
  std::array<unsigned char, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<unsigned char>(std::stoi(text.substr(2 * i, 2), nullptr, 16));
  }
  return bytes;
}

TEST(OpenSslX25519, GivesRfc7748sSharedSecretToBothSides) {
  const auto alice_private =
      from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const auto alice_public =
      from_hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  const auto bob_private =
      from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  const auto bob_public =
      from_hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  std::array<unsigned char, 32> alices{}, bobs{};
  ASSERT_TRUE(openssl_x25519(alice_private, alice_public, bob_public, alices));
  ASSERT_TRUE(openssl_x25519(bob_private, bob_public, alice_public, bobs));
  EXPECT_EQ(hex(alices.data(), 32),
            "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_EQ(hex(bobs.data(), 32), hex(alices.data(), 32));
}

TEST(OpenSslX25519, AgreesWithLibsodiumsForRandomKeys) {
  ASSERT_GE(sodium_init(), 0);
  for (int i = 0; i < 200; ++i) {
    std::array<unsigned char, 32> own_private{}, own_public{}, peer_private{}, peer_public{};
    RAND_bytes(own_private.data(), 32);
    RAND_bytes(peer_private.data(), 32);
    ASSERT_TRUE(x25519_public_key(own_private, own_public));
    ASSERT_TRUE(x25519_public_key(peer_private, peer_public));
    std::array<unsigned char, 32> ours{}, libsodiums{};
    ASSERT_TRUE(openssl_x25519(own_private, own_public, peer_public, ours));
    ASSERT_EQ(
        crypto_scalarmult_curve25519(libsodiums.data(), own_private.data(), peer_public.data()), 0);
    EXPECT_EQ(hex(ours.data(), 32), hex(libsodiums.data(), 32));
  }
}

// Points of small order give an all-zero secret, which would let a peer fix the key.
TEST(OpenSslX25519, RefusesPeerKeysOfSmallOrder) {
  std::array<unsigned char, 32> own_private{}, own_public{}, secret{};
  RAND_bytes(own_private.data(), 32);
  ASSERT_TRUE(x25519_public_key(own_private, own_public));
  for (const char* point : {"0000000000000000000000000000000000000000000000000000000000000000",
                            "0100000000000000000000000000000000000000000000000000000000000000",
                            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"}) {
    EXPECT_FALSE(openssl_x25519(own_private, own_public, from_hex(point), secret)) << point;
  }
}

TEST(X25519Keys, PublicKeysAreOpenSsls) {
  std::vector<std::array<unsigned char, 32>> private_keys(300);
  for (auto& key : private_keys) RAND_bytes(key.data(), static_cast<int>(key.size()));
  private_keys.push_back({});
  private_keys.emplace_back().fill(0xff);
  for (const auto& private_key : private_keys) {
    std::array<unsigned char, 32> public_key{};
    ASSERT_TRUE(x25519_public_key(private_key, public_key));
    EXPECT_EQ(hex(public_key.data(), 32), openssl_public_key(private_key))
        << hex(private_key.data(), 32);
  }
}

TEST(X25519Keys, SharesFromTheProviderAgreeWithOpenSslKeys) {
  for (int i = 0; i < 20; ++i) {
    pki::UniquePtr<EVP_PKEY> ours = generate_x25519(handshake_provider_properties());
    pki::UniquePtr<EVP_PKEY> theirs = generate_x25519("provider=default");
    ASSERT_TRUE(ours && theirs);
    EXPECT_EQ(provider_of(ours.get()), "tlshop");
    EXPECT_EQ(provider_of(theirs.get()), "default");
    std::vector<unsigned char> our_public = encoded_public_key(ours.get());
    ASSERT_EQ(our_public.size(), 32u);

    pki::UniquePtr<EVP_PKEY> their_share = peer_share(encoded_public_key(theirs.get()));
    ASSERT_TRUE(their_share);
    std::optional<std::string> ours_with_theirs = shared_secret(ours.get(), their_share.get());
    pki::UniquePtr<EVP_PKEY> our_share_for_them(EVP_PKEY_new_raw_public_key_ex(
        nullptr, "X25519", "provider=default", our_public.data(), our_public.size()));
    ASSERT_TRUE(ours_with_theirs.has_value());
    EXPECT_EQ(ours_with_theirs, shared_secret(theirs.get(), our_share_for_them.get()));
  }
}

std::array<unsigned char, 32> raw_private_key(const EVP_PKEY* key) {
  std::array<unsigned char, 32> private_key{};
  std::size_t size = private_key.size();
  EXPECT_EQ(EVP_PKEY_get_raw_private_key(key, private_key.data(), &size), 1);
  EXPECT_EQ(size, 32u);
  return private_key;
}

// Keys come from a pool filled a batch at a time: every one is new, and its public half
// is OpenSSL's for its private half.
TEST(X25519Keys, GeneratedKeysAreDistinctAndTheirPublicHalvesOpenSsls) {
  std::set<std::string> private_keys;
  for (int i = 0; i < 40; ++i) {
    pki::UniquePtr<EVP_PKEY> key = generate_x25519(handshake_provider_properties());
    ASSERT_TRUE(key);
    const std::array<unsigned char, 32> private_key = raw_private_key(key.get());
    std::vector<unsigned char> public_key = encoded_public_key(key.get());
    EXPECT_EQ(hex(public_key.data(), public_key.size()), openssl_public_key(private_key));
    private_keys.insert(hex(private_key.data(), private_key.size()));
  }
  EXPECT_EQ(private_keys.size(), 40u);
}

// A child forked while the pool holds keys must not hand out the keys its parent will.
TEST(X25519Keys, AForkedChildMakesKeysOfItsOwn) {
  ASSERT_TRUE(generate_x25519(handshake_provider_properties()));  // the pool now holds keys
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pki::UniquePtr<EVP_PKEY> key = generate_x25519(handshake_provider_properties());
    std::array<unsigned char, 32> private_key{};
    std::size_t size = private_key.size();
    const bool got = key && EVP_PKEY_get_raw_private_key(key.get(), private_key.data(), &size);
    const bool written = got && write(pipe_ends[1], private_key.data(), 32) == 32;
    _exit(written ? 0 : 1);
  }
  close(pipe_ends[1]);
  pki::UniquePtr<EVP_PKEY> parents = generate_x25519(handshake_provider_properties());
  ASSERT_TRUE(parents);
  std::array<unsigned char, 32> childs{};
  EXPECT_EQ(read(pipe_ends[0], childs.data(), childs.size()), 32);
  close(pipe_ends[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(hex(childs.data(), 32), hex(raw_private_key(parents.get()).data(), 32));
}

TEST(X25519Keys, OnlyAPreferringPropertyQueryReachesThem) {
  ASSERT_NE(handshake_provider_properties(), nullptr);
  pki::UniquePtr<EVP_PKEY> unspecified = generate_x25519(nullptr);
  ASSERT_TRUE(unspecified);
  EXPECT_EQ(provider_of(unspecified.get()), "default");
  pki::UniquePtr<EVP_MAC> hmac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  ASSERT_TRUE(hmac);
  EXPECT_STREQ(OSSL_PROVIDER_get0_name(EVP_MAC_get0_provider(hmac.get())), "default");
}

TEST(X25519Keys, AKeyPairIsCheckedByDerivingItsPublicKeyAgain) {
  pki::UniquePtr<EVP_PKEY> ours = generate_x25519(handshake_provider_properties());
  pki::UniquePtr<EVP_PKEY_CTX> check(
      EVP_PKEY_CTX_new_from_pkey(nullptr, ours.get(), handshake_provider_properties()));
  EXPECT_EQ(EVP_PKEY_pairwise_check(check.get()), 1);

  std::array<unsigned char, 32> private_key{}, wrong_public{};
  RAND_bytes(private_key.data(), 32);
  wrong_public.fill(9);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, private_key.data(), 32),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, wrong_public.data(), 32),
      OSSL_PARAM_construct_end()};
  pki::UniquePtr<EVP_PKEY_CTX> from_data(
      EVP_PKEY_CTX_new_from_name(nullptr, "X25519", handshake_provider_properties()));
  EVP_PKEY* mismatched = nullptr;
  ASSERT_EQ(EVP_PKEY_fromdata_init(from_data.get()), 1);
  ASSERT_EQ(EVP_PKEY_fromdata(from_data.get(), &mismatched, EVP_PKEY_KEYPAIR, params), 1);
  pki::UniquePtr<EVP_PKEY> owned(mismatched);
  EXPECT_EQ(provider_of(mismatched), "tlshop");
  pki::UniquePtr<EVP_PKEY_CTX> check_mismatched(
      EVP_PKEY_CTX_new_from_pkey(nullptr, mismatched, handshake_provider_properties()));
  EXPECT_NE(EVP_PKEY_pairwise_check(check_mismatched.get()), 1);
}

TEST(X25519Keys, RefusesLowOrderPointsWrongSizesAndOtherGroups) {
  pki::UniquePtr<EVP_PKEY> ours = generate_x25519(handshake_provider_properties());
  pki::UniquePtr<EVP_PKEY> zero = peer_share(std::vector<unsigned char>(32, 0));
  ASSERT_TRUE(zero);
  EXPECT_FALSE(shared_secret(ours.get(), zero.get()).has_value());

  EXPECT_FALSE(peer_share(std::vector<unsigned char>(31, 9)));
  EXPECT_FALSE(peer_share(std::vector<unsigned char>(33, 9)));

  pki::UniquePtr<EVP_PKEY_CTX> context(
      EVP_PKEY_CTX_new_from_name(nullptr, "X25519", handshake_provider_properties()));
  ASSERT_EQ(EVP_PKEY_paramgen_init(context.get()), 1);
  EXPECT_LE(EVP_PKEY_CTX_set_group_name(context.get(), "P-256"), 0);
}

}  // namespace
}  // namespace tlshop::tls
