// The field arithmetic behind X25519 public keys: every element times its inverse is one,
// and encodings are canonical whatever limbs a value is carried in.
#include "tls/field25519.hpp"

#include <gtest/gtest.h>
#include <openssl/rand.h>

#include <array>

namespace tlshop::tls {
namespace {

using Bytes = std::array<unsigned char, 32>;

Bytes random_bytes() {
  Bytes bytes{};
  RAND_bytes(bytes.data(), static_cast<int>(bytes.size()));
  return bytes;
}

// p = 2^255 - 19, little-endian.
Bytes prime_plus(unsigned char added) {
  Bytes bytes{};
  bytes.fill(0xff);
  bytes[31] = 0x7f;
  bytes[0] = static_cast<unsigned char>(0xed + added);
  return bytes;
}

TEST(Field25519, EveryElementTimesItsInverseIsOne) {
  const Bytes one = Field25519::one().to_bytes();
  for (int i = 0; i < 500; ++i) {
    const Field25519 x = Field25519::from_bytes(random_bytes());
    if (x.is_zero()) continue;
    EXPECT_EQ((x * x.inverse()).to_bytes(), one);
  }
  const Field25519 minus_one = Field25519::from_bytes(prime_plus(0)) - Field25519::one();
  EXPECT_EQ((minus_one * minus_one).to_bytes(), one);
  EXPECT_EQ(minus_one.inverse().to_bytes(), minus_one.to_bytes());
}

TEST(Field25519, ZeroHasNoInverseAndEncodesAsZeros) {
  const Field25519 zero = Field25519::one() - Field25519::one();
  EXPECT_TRUE(zero.is_zero());
  EXPECT_TRUE(zero.inverse().is_zero());
  EXPECT_EQ(zero.to_bytes(), Bytes{});
}

TEST(Field25519, ValuesFromPUpwardsEncodeReduced) {
  EXPECT_TRUE(Field25519::from_bytes(prime_plus(0)).is_zero());
  EXPECT_EQ(Field25519::from_bytes(prime_plus(1)).to_bytes(), Field25519::one().to_bytes());
  Bytes two{};
  two[0] = 2;
  EXPECT_EQ(Field25519::from_bytes(prime_plus(2)).to_bytes(), two);
  Bytes top_bit_set{};
  top_bit_set[0] = 5;
  top_bit_set[31] = 0x80;  // ignored, as RFC 7748 says
  Bytes five{};
  five[0] = 5;
  EXPECT_EQ(Field25519::from_bytes(top_bit_set).to_bytes(), five);
}

TEST(Field25519, SumsDifferencesAndProductsAgree) {
  for (int i = 0; i < 200; ++i) {
    const Field25519 a = Field25519::from_bytes(random_bytes());
    const Field25519 b = Field25519::from_bytes(random_bytes());
    EXPECT_EQ(((a + b) - b).to_bytes(), a.to_bytes());
    EXPECT_EQ((a - b + b).to_bytes(), a.to_bytes());
    // (a + b)^2 = a^2 + 2ab + b^2
    EXPECT_EQ((a + b).squared().to_bytes(), (a * a + a * b + a * b + b * b).to_bytes());
    EXPECT_EQ(a.squared(3).to_bytes(), (a * a * a * a * a * a * a * a).to_bytes());
  }
}

}  // namespace
}  // namespace tlshop::tls
