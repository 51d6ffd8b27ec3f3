#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace tlshop::tls {

// An element of the field of integers modulo p = 2^255 - 19, in five 51-bit limbs, with
// the few operations that turn an Ed25519 point into its X25519 (Montgomery) coordinate.
// Small and branch-free: it runs once per handshake, when its code is no longer in any
// cache, which made a general big-number library's inverse cost more here than its
// arithmetic.
class Field25519 {
 public:
  static Field25519 one();
  // 32 bytes little-endian; the top bit is ignored, as RFC 7748 does.
  static Field25519 from_bytes(std::span<const unsigned char, 32> bytes);
  // The canonical encoding: the value reduced below p.
  std::array<unsigned char, 32> to_bytes() const;

  Field25519 operator+(const Field25519& other) const;
  Field25519 operator-(const Field25519& other) const;
  Field25519 operator*(const Field25519& other) const;
  Field25519 squared(int times = 1) const;
  // x^(p-2): the inverse of every element but zero, whose result is zero.
  Field25519 inverse() const;
  bool is_zero() const;

 private:
  std::array<std::uint64_t, 5> limbs_{};
};

}  // namespace tlshop::tls
