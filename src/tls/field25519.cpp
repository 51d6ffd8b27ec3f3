#include "tls/field25519.hpp"

namespace tlshop::tls {
namespace {

__extension__ using Wide = unsigned __int128;
using Limbs = std::array<std::uint64_t, 5>;

constexpr std::uint64_t kLimbMask = (std::uint64_t{1} << 51) - 1;

// Brings every limb below 2^51 (plus at most 19 * 2^13 in the lowest), folding what
// passes 2^255 back in as 19 times as much: 2^255 = 19 (mod p).
void carry(Limbs& limbs) {
  for (int i = 0; i < 4; ++i) {
    limbs[i + 1] += limbs[i] >> 51;
    limbs[i] &= kLimbMask;
  }
  limbs[0] += 19 * (limbs[4] >> 51);
  limbs[4] &= kLimbMask;
}

std::uint64_t load64(const unsigned char* bytes) {
  std::uint64_t word = 0;
  for (int i = 7; i >= 0; --i) word = (word << 8) | bytes[i];
  return word;
}

void store64(std::uint64_t word, unsigned char* bytes) {
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(word >> (8 * i));
}

// Carries five 102-bit column sums into limbs; what passes 2^255 comes back times 19.
Limbs carry_columns(Wide r0, Wide r1, Wide r2, Wide r3, Wide r4) {
  r1 += r0 >> 51;
  r2 += r1 >> 51;
  r3 += r2 >> 51;
  r4 += r3 >> 51;
  Limbs limbs = {
      static_cast<std::uint64_t>(r0) & kLimbMask, static_cast<std::uint64_t>(r1) & kLimbMask,
      static_cast<std::uint64_t>(r2) & kLimbMask, static_cast<std::uint64_t>(r3) & kLimbMask,
      static_cast<std::uint64_t>(r4) & kLimbMask};
  limbs[0] += 19 * static_cast<std::uint64_t>(r4 >> 51);
  limbs[1] += limbs[0] >> 51;
  limbs[0] &= kLimbMask;
  return limbs;
}

// Schoolbook: a limb product that passes 2^255 comes back multiplied by 19.
Limbs multiply(const Limbs& a, const Limbs& b) {
  const std::uint64_t b1_19 = 19 * b[1], b2_19 = 19 * b[2], b3_19 = 19 * b[3], b4_19 = 19 * b[4];
  return carry_columns(Wide{a[0]} * b[0] + Wide{a[1]} * b4_19 + Wide{a[2]} * b3_19 +
                           Wide{a[3]} * b2_19 + Wide{a[4]} * b1_19,
                       Wide{a[0]} * b[1] + Wide{a[1]} * b[0] + Wide{a[2]} * b4_19 +
                           Wide{a[3]} * b3_19 + Wide{a[4]} * b2_19,
                       Wide{a[0]} * b[2] + Wide{a[1]} * b[1] + Wide{a[2]} * b[0] +
                           Wide{a[3]} * b4_19 + Wide{a[4]} * b3_19,
                       Wide{a[0]} * b[3] + Wide{a[1]} * b[2] + Wide{a[2]} * b[1] +
                           Wide{a[3]} * b[0] + Wide{a[4]} * b4_19,
                       Wide{a[0]} * b[4] + Wide{a[1]} * b[3] + Wide{a[2]} * b[2] +
                           Wide{a[3]} * b[1] + Wide{a[4]} * b[0]);
}

// The same with the symmetric products counted once, doubled.
Limbs square(const Limbs& a) {
  const std::uint64_t a0_2 = 2 * a[0], a1_2 = 2 * a[1], a1_38 = 38 * a[1], a2_38 = 38 * a[2],
                      a3_38 = 38 * a[3], a3_19 = 19 * a[3], a4_19 = 19 * a[4];
  return carry_columns(Wide{a[0]} * a[0] + Wide{a1_38} * a[4] + Wide{a2_38} * a[3],
                       Wide{a0_2} * a[1] + Wide{a2_38} * a[4] + Wide{a3_19} * a[3],
                       Wide{a0_2} * a[2] + Wide{a[1]} * a[1] + Wide{a3_38} * a[4],
                       Wide{a0_2} * a[3] + Wide{a1_2} * a[2] + Wide{a4_19} * a[4],
                       Wide{a0_2} * a[4] + Wide{a1_2} * a[3] + Wide{a[2]} * a[2]);
}

}  // namespace

Field25519 Field25519::one() {
  Field25519 one;
  one.limbs_[0] = 1;
  return one;
}

Field25519 Field25519::from_bytes(std::span<const unsigned char, 32> bytes) {
  const std::uint64_t w0 = load64(bytes.data()), w1 = load64(bytes.data() + 8),
                      w2 = load64(bytes.data() + 16), w3 = load64(bytes.data() + 24);
  Field25519 element;
  element.limbs_ = {w0 & kLimbMask, ((w0 >> 51) | (w1 << 13)) & kLimbMask,
                    ((w1 >> 38) | (w2 << 26)) & kLimbMask, ((w2 >> 25) | (w3 << 39)) & kLimbMask,
                    (w3 >> 12) & kLimbMask};
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
    limbs[i] &= kLimbMask;
  }
  limbs[4] &= kLimbMask;
  std::array<unsigned char, 32> bytes{};
  store64(limbs[0] | (limbs[1] << 51), bytes.data());
  store64((limbs[1] >> 13) | (limbs[2] << 38), bytes.data() + 8);
  store64((limbs[2] >> 26) | (limbs[3] << 25), bytes.data() + 16);
  store64((limbs[3] >> 39) | (limbs[4] << 12), bytes.data() + 24);
  return bytes;
}

Field25519 Field25519::operator+(const Field25519& other) const {
  Field25519 sum;
  for (int i = 0; i < 5; ++i) sum.limbs_[i] = limbs_[i] + other.limbs_[i];
  carry(sum.limbs_);
  return sum;
}

// Adds 2p first, so that no limb goes below zero.
Field25519 Field25519::operator-(const Field25519& other) const {
  constexpr Limbs kTwoP = {0xfffffffffffdaULL, 0xffffffffffffeULL, 0xffffffffffffeULL,
                           0xffffffffffffeULL, 0xffffffffffffeULL};
  Limbs reduced = other.limbs_;
  carry(reduced);
  Field25519 difference;
  for (int i = 0; i < 5; ++i) difference.limbs_[i] = limbs_[i] + kTwoP[i] - reduced[i];
  carry(difference.limbs_);
  return difference;
}

Field25519 Field25519::operator*(const Field25519& other) const {
  Field25519 product;
  product.limbs_ = multiply(limbs_, other.limbs_);
  return product;
}

Field25519 Field25519::squared(int times) const {
  Field25519 result = *this;
  for (int i = 0; i < times; ++i) result.limbs_ = square(result.limbs_);
  return result;
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
