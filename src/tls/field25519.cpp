#include "tls/field25519.hpp"

namespace tlshop::tls {
namespace {

using field25519_limbs::kMask;
using field25519_limbs::Limbs;

// Brings every limb below 2^51 (plus at most 19 * 2^13 in the lowest), one limb after
// the other, for the canonical encoding.
void carry(Limbs& limbs) {
  for (int i = 0; i < 4; ++i) {
    limbs[i + 1] += limbs[i] >> 51;
    limbs[i] &= kMask;
  }
  limbs[0] += 19 * (limbs[4] >> 51);
  limbs[4] &= kMask;
}

std::uint64_t load64(const unsigned char* bytes) {
  std::uint64_t word = 0;
  for (int i = 7; i >= 0; --i) word = (word << 8) | bytes[i];
  return word;
}

void store64(std::uint64_t word, unsigned char* bytes) {
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(word >> (8 * i));
}

}  // namespace

Field25519 Field25519::one() {
  Field25519 one;
  one.limbs_[0] = 1;
  return one;
}

Field25519 Field25519::from_integer(std::uint64_t value) {
  Field25519 element;
  element.limbs_[0] = value & kMask;
  return element;
}

Field25519 Field25519::from_bytes(std::span<const unsigned char, 32> bytes) {
  const std::uint64_t w0 = load64(bytes.data()), w1 = load64(bytes.data() + 8),
                      w2 = load64(bytes.data() + 16), w3 = load64(bytes.data() + 24);
  Field25519 element;
  element.limbs_ = {w0 & kMask, ((w0 >> 51) | (w1 << 13)) & kMask,
                    ((w1 >> 38) | (w2 << 26)) & kMask, ((w2 >> 25) | (w3 << 39)) & kMask,
                    (w3 >> 12) & kMask};
  return element;
}

std::array<unsigned char, 32> Field25519::to_bytes() const {
  Limbs limbs = limbs_;
  carry(limbs);
  carry(limbs);
  // The value is now below 2^255 + 19 * 2^13; q is 1 exactly when it is at least p.
  std::uint64_t q = (limbs[0] + 19) >> 51;
  for (int i = 1; i < 5; ++i) q = (limbs[i] + q) >> 51;
  limbs[0] += 19 * q;
  for (int i = 0; i < 4; ++i) {
    limbs[i + 1] += limbs[i] >> 51;
    limbs[i] &= kMask;
  }
  limbs[4] &= kMask;
  std::array<unsigned char, 32> bytes{};
  store64(limbs[0] | (limbs[1] << 51), bytes.data());
  store64((limbs[1] >> 13) | (limbs[2] << 38), bytes.data() + 8);
  store64((limbs[2] >> 26) | (limbs[3] << 25), bytes.data() + 16);
  store64((limbs[3] >> 39) | (limbs[4] << 12), bytes.data() + 24);
  return bytes;
}

// p - 2 = 2^255 - 21, by the usual chain of 254 squarings and 11 multiplications.
Field25519 Field25519::inverse() const {
  const Field25519& z = *this;
  const Field25519 z2 = z.squared();
  const Field25519 z9 = z2.squared(2) * z;
  const Field25519 z11 = z9 * z2;
  const Field25519 z_5_0 = z11.squared() * z9;  // z^(2^5 - 1)
  const Field25519 z_10_0 = z_5_0.squared(5) * z_5_0;
  const Field25519 z_20_0 = z_10_0.squared(10) * z_10_0;
  const Field25519 z_40_0 = z_20_0.squared(20) * z_20_0;
  const Field25519 z_50_0 = z_40_0.squared(10) * z_10_0;
  const Field25519 z_100_0 = z_50_0.squared(50) * z_50_0;
  const Field25519 z_200_0 = z_100_0.squared(100) * z_100_0;
  const Field25519 z_250_0 = z_200_0.squared(50) * z_50_0;
  return z_250_0.squared(5) * z11;  // z^(2^255 - 32 + 11)
}

bool Field25519::is_zero() const {
  const std::array<unsigned char, 32> bytes = to_bytes();
  unsigned char any = 0;
  for (unsigned char byte : bytes) any |= byte;
  return any == 0;
}

}  // namespace tlshop::tls
