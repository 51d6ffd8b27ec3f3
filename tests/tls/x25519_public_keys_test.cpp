// Public keys from tlshop's fixed-base multiplication are libsodium's, key by key, for
// batches of every size the key pool and a single import use.
#include "tls/x25519_public_keys.hpp"

#include <gtest/gtest.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <array>
#include <string>
#include <vector>

#include "pki/x509_fields.hpp"

namespace tlshop::tls {
namespace {

std::string libsodiums_public_key(const X25519Bytes& private_key) {
  X25519Bytes public_key{};
  EXPECT_EQ(crypto_scalarmult_curve25519_base(public_key.data(), private_key.data()), 0);
  return pki::to_hex(public_key.data(), public_key.size());
}

std::vector<X25519Bytes> random_keys(std::size_t count) {
  std::vector<X25519Bytes> keys(count);
  for (auto& key : keys) RAND_bytes(key.data(), static_cast<int>(key.size()));
  return keys;
}

// In the batch (eight at a time where the CPU has AVX-512 IFMA) and each key alone (the
// portable code), so that both ways meet every key.
void expect_libsodiums(const std::vector<X25519Bytes>& private_keys) {
  std::vector<X25519Bytes> public_keys(private_keys.size());
  ASSERT_TRUE(compute_x25519_public_keys(private_keys, public_keys));
  for (std::size_t i = 0; i < private_keys.size(); ++i) {
    const std::string expected = libsodiums_public_key(private_keys[i]);
    EXPECT_EQ(pki::to_hex(public_keys[i].data(), 32), expected)
        << "key " << i << " of " << private_keys.size() << ": "
        << pki::to_hex(private_keys[i].data(), 32);
    std::array<X25519Bytes, 1> alone;
    ASSERT_TRUE(compute_x25519_public_keys({&private_keys[i], 1}, alone));
    EXPECT_EQ(pki::to_hex(alone[0].data(), 32), expected)
        << "key alone: " << pki::to_hex(private_keys[i].data(), 32);
  }
}

class X25519PublicKeys : public testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(X25519PublicKeys, AreLibsodiumsForRandomKeysInBatchesOfEverySize) {
  for (std::size_t size : {1, 2, 3, 7, 8, 9, 64}) expect_libsodiums(random_keys(size));
  for (int batch = 0; batch < 100; ++batch) expect_libsodiums(random_keys(8));
}

// Each signed radix-16 digit takes every value, the table's sign flip included; keys of
// all zeros and all ones clamp to the extremes of the scalar range.
TEST_F(X25519PublicKeys, AreLibsodiumsForKeysOfRepeatedNibbles) {
  std::vector<X25519Bytes> keys;
  for (int nibble = 0; nibble < 16; ++nibble) {
    keys.emplace_back().fill(static_cast<unsigned char>(nibble * 0x11));
    keys.emplace_back().fill(static_cast<unsigned char>(nibble));
    keys.emplace_back().fill(static_cast<unsigned char>(nibble << 4));
  }
  expect_libsodiums(keys);
}

TEST_F(X25519PublicKeys, KeysWithOneBitSetEachAreLibsodiums) {
  std::vector<X25519Bytes> keys(256);
  for (std::size_t bit = 0; bit < keys.size(); ++bit) {
    keys[bit].fill(0);
    keys[bit][bit / 8] = static_cast<unsigned char>(1u << (bit % 8));
  }
  expect_libsodiums(keys);
}

TEST_F(X25519PublicKeys, OneKeyInABatchDoesNotChangeAnother) {
  std::vector<X25519Bytes> keys = random_keys(8);
  std::vector<X25519Bytes> before(8), after(8);
  ASSERT_TRUE(compute_x25519_public_keys(keys, before));
  keys[3][5] ^= 0x10;
  ASSERT_TRUE(compute_x25519_public_keys(keys, after));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(before[i] == after[i], i != 3) << i;
  }
}

TEST_F(X25519PublicKeys, PassTheKnownAnswerTheProviderChecksAtLoad) {
  EXPECT_TRUE(x25519_public_keys_pass_known_answer());
}

TEST_F(X25519PublicKeys, RefusesOutputOfAnotherLengthAndAcceptsAnEmptyBatch) {
  std::vector<X25519Bytes> keys = random_keys(4);
  std::vector<X25519Bytes> too_few(3);
  EXPECT_FALSE(compute_x25519_public_keys(keys, too_few));
  EXPECT_TRUE(compute_x25519_public_keys({}, {}));
}

}  // namespace
}  // namespace tlshop::tls
