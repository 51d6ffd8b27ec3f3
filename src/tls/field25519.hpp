#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace tlshop::tls {

namespace field25519_limbs {

__extension__ using Wide = unsigned __int128;
using Limbs = std::array<std::uint64_t, 5>;

inline constexpr std::uint64_t kMask = (std::uint64_t{1} << 51) - 1;

// Every limb's carry moves one limb up at once, with no chain from limb to limb: limbs
// below 2^63 come out below 2^51 + 2^12, the lowest below 2^51 + 19 * 2^12 (what passes
// 2^255 comes back as 19 times as much: 2^255 = 19 mod p). Every operation leaves its
// result so, and multiplying such limbs cannot overflow.
inline Limbs carried(const Limbs& limbs) {
  return {(limbs[0] & kMask) + 19 * (limbs[4] >> 51), (limbs[1] & kMask) + (limbs[0] >> 51),
          (limbs[2] & kMask) + (limbs[1] >> 51), (limbs[3] & kMask) + (limbs[2] >> 51),
          (limbs[4] & kMask) + (limbs[3] >> 51)};
}

// Carries five column sums (each below 2^111) into limbs.
inline Limbs carry_columns(Wide r0, Wide r1, Wide r2, Wide r3, Wide r4) {
  r1 += r0 >> 51;
  r2 += r1 >> 51;
  r3 += r2 >> 51;
  r4 += r3 >> 51;
  Limbs limbs = {static_cast<std::uint64_t>(r0) & kMask, static_cast<std::uint64_t>(r1) & kMask,
                 static_cast<std::uint64_t>(r2) & kMask, static_cast<std::uint64_t>(r3) & kMask,
                 static_cast<std::uint64_t>(r4) & kMask};
  limbs[0] += 19 * static_cast<std::uint64_t>(r4 >> 51);
  limbs[1] += limbs[0] >> 51;
  limbs[0] &= kMask;
  return limbs;
}

// Schoolbook: a limb product that passes 2^255 comes back multiplied by 19.
inline Limbs multiply(const Limbs& a, const Limbs& b) {
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
inline Limbs square(const Limbs& a) {
  const std::uint64_t a0_2 = 2 * a[0], a1_2 = 2 * a[1], a1_38 = 38 * a[1], a2_38 = 38 * a[2],
                      a3_38 = 38 * a[3], a3_19 = 19 * a[3], a4_19 = 19 * a[4];
  return carry_columns(Wide{a[0]} * a[0] + Wide{a1_38} * a[4] + Wide{a2_38} * a[3],
                       Wide{a0_2} * a[1] + Wide{a2_38} * a[4] + Wide{a3_19} * a[3],
                       Wide{a0_2} * a[2] + Wide{a[1]} * a[1] + Wide{a3_38} * a[4],
                       Wide{a0_2} * a[3] + Wide{a1_2} * a[2] + Wide{a4_19} * a[4],
                       Wide{a0_2} * a[4] + Wide{a1_2} * a[3] + Wide{a[2]} * a[2]);
}

}  // namespace field25519_limbs

// An element of the field of integers modulo p = 2^255 - 19, in five 51-bit limbs, with
// the operations that multiply Ed25519's base point and turn the result into its X25519
// (Montgomery) coordinate. Branch-free, and inline where a point operation calls it: a
// key's multiplication makes some 5,000 of these calls.
class Field25519 {
 public:
  static Field25519 one();
  // A small value, below 2^51.
  static Field25519 from_integer(std::uint64_t value);
  // 32 bytes little-endian; the top bit is ignored, as RFC 7748 does.
  static Field25519 from_bytes(std::span<const unsigned char, 32> bytes);
  // The canonical encoding: the value reduced below p.
  std::array<unsigned char, 32> to_bytes() const;

  // The limbs as they are, and an element from limbs each below 2^52, for arithmetic on
  // several elements at once (x25519_base_ifma.cpp).
  const field25519_limbs::Limbs& limbs() const { return limbs_; }
  static Field25519 from_limbs(const field25519_limbs::Limbs& limbs) {
    Field25519 element;
    element.limbs_ = limbs;
    return element;
  }

  Field25519 operator+(const Field25519& other) const {
    Field25519 sum;
    for (int i = 0; i < 5; ++i) sum.limbs_[i] = limbs_[i] + other.limbs_[i];
    sum.limbs_ = field25519_limbs::carried(sum.limbs_);
    return sum;
  }

  // Adds 2p first: every limb of 2p is above any limb of a result, so none goes below zero.
  Field25519 operator-(const Field25519& other) const {
    constexpr field25519_limbs::Limbs kTwoP = {0xfffffffffffdaULL, 0xffffffffffffeULL,
                                               0xffffffffffffeULL, 0xffffffffffffeULL,
                                               0xffffffffffffeULL};
    Field25519 difference;
    for (int i = 0; i < 5; ++i) difference.limbs_[i] = limbs_[i] + kTwoP[i] - other.limbs_[i];
    difference.limbs_ = field25519_limbs::carried(difference.limbs_);
    return difference;
  }

  Field25519 operator*(const Field25519& other) const {
    Field25519 product;
    product.limbs_ = field25519_limbs::multiply(limbs_, other.limbs_);
    return product;
  }

  Field25519 squared(int times = 1) const {
    Field25519 result = *this;
    for (int i = 0; i < times; ++i) result.limbs_ = field25519_limbs::square(result.limbs_);
    return result;
  }

  Field25519 negated() const { return Field25519{} - *this; }

  // Becomes other if take is 1 and stays if it is 0, in the same time either way: which
  // one it is may be secret.
  void assign_if(const Field25519& other, std::uint64_t take) {
    const std::uint64_t mask = 0 - take;
    for (int i = 0; i < 5; ++i) limbs_[i] ^= mask & (limbs_[i] ^ other.limbs_[i]);
  }

  // x^(p-2): the inverse of every element but zero, whose result is zero.
  Field25519 inverse() const;
  bool is_zero() const;

 private:
  field25519_limbs::Limbs limbs_{};
};

}  // namespace tlshop::tls
