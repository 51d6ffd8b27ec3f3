#include "tls/x25519_public_keys.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tls/edwards25519_points.hpp"
#include "tls/field25519.hpp"
#include "tls/x25519_base_ifma.hpp"
#include "tls/x25519_base_table.hpp"

namespace tlshop::tls {
namespace x25519_base {
namespace {

using ExtendedPoint = edwards25519::ExtendedPoint<Field25519>;
using ProjectivePoint = edwards25519::ProjectivePoint<Field25519>;
using CompletedPoint = edwards25519::CompletedPoint<Field25519>;
using edwards25519::doubled;
using edwards25519::sum;
using edwards25519::to_extended;

// A projective point ready to add, for building the table: Y + X, Y - X, Z and 2 d T.
struct CachedPoint {
  Field25519 y_plus_x, y_minus_x, z, t_2d;
};

ProjectivePoint to_projective(const ExtendedPoint& p) { return {p.x, p.y, p.z}; }

CompletedPoint sum(const ExtendedPoint& p, const CachedPoint& q) {
  const Field25519 a = (p.y + p.x) * q.y_plus_x, b = (p.y - p.x) * q.y_minus_x;
  const Field25519 c = q.t_2d * p.t, zz = p.z * q.z;
  const Field25519 d = zz + zz;
  return {a - b, a + b, d + c, d - c};
}

ExtendedPoint neutral_point() {
  return {Field25519{}, Field25519::one(), Field25519::one(), Field25519{}};
}

// B = (x, 4/5), x the even root (RFC 8032, section 5.1).
ExtendedPoint base_point() {
  static constexpr X25519Bytes kBaseX = {0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9,
                                         0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
                                         0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0,
                                         0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21};
  const Field25519 x = Field25519::from_bytes(kBaseX);
  const Field25519 y = Field25519::from_integer(4) * Field25519::from_integer(5).inverse();
  return {x, y, Field25519::one(), x * y};
}

BaseTable build_base_table() {
  // d = -121665 / 121666
  const Field25519 d =
      Field25519::from_integer(121665).negated() * Field25519::from_integer(121666).inverse();
  const Field25519 d2 = d + d;
  BaseTable table;
  ExtendedPoint power = base_point();  // 256^i B
  for (auto& row : table) {
    const CachedPoint step{power.y + power.x, power.y - power.x, power.z, power.t * d2};
    ExtendedPoint multiple = power;
    for (TableEntry& entry : row) {
      const Field25519 z_inverse = multiple.z.inverse();
      const Field25519 x = multiple.x * z_inverse, y = multiple.y * z_inverse;
      entry = {y + x, y - x, x * y * d2};
      multiple = to_extended(sum(multiple, step));
    }
    for (int doubling = 0; doubling < 8; ++doubling) {
      power = to_extended(doubled(to_projective(power)));
    }
  }
  return table;
}

std::uint64_t equals(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(a ^ b) - 1) >> 63;
}

// Two 64-bit words (SSE2, which every x86-64 has): a key reads 61 KiB of table, and
// reading it a lane at a time was a fifth of the key's time.
using Lanes = std::uint64_t __attribute__((vector_size(16)));
using EntryLanes = std::array<Lanes, sizeof(TableEntry) / sizeof(Lanes)>;

Lanes lane(const TableEntry& entry, std::size_t index) {
  Lanes lane;
  std::memcpy(&lane, reinterpret_cast<const unsigned char*>(&entry) + index * sizeof lane,
              sizeof lane);
  return lane;
}

// digit times the row's point: every entry is read whatever the digit, the one wanted
// kept by a mask, the others masked to zero.
TableEntry select(const std::array<TableEntry, 8>& row, signed char digit) {
  const std::uint64_t negative = static_cast<unsigned char>(digit) >> 7;
  const int value = digit;
  const auto magnitude =
      static_cast<std::uint32_t>(value - 2 * (-static_cast<int>(negative) & value));
  static const EntryLanes kNeutral =
      std::bit_cast<EntryLanes>(TableEntry{Field25519::one(), Field25519::one(), Field25519{}});
  EntryLanes chosen;
  const std::uint64_t neutral_mask = 0 - equals(magnitude, 0);
#pragma GCC unroll 8
  for (std::size_t k = 0; k < chosen.size(); ++k) chosen[k] = kNeutral[k] & neutral_mask;
  for (std::uint32_t j = 0; j < row.size(); ++j) {
    const std::uint64_t mask = 0 - equals(magnitude, j + 1);
#pragma GCC unroll 8
    for (std::size_t k = 0; k < chosen.size(); ++k) chosen[k] |= lane(row[j], k) & mask;
  }
  TableEntry entry = std::bit_cast<TableEntry>(chosen);
  const TableEntry negated{entry.y_minus_x, entry.y_plus_x, entry.xy_2d.negated()};
  entry.y_plus_x.assign_if(negated.y_plus_x, negative);
  entry.y_minus_x.assign_if(negated.y_minus_x, negative);
  entry.xy_2d.assign_if(negated.xy_2d, negative);
  return entry;
}

Quotient times_base_point(const Digits& digits) {
  const BaseTable& table = base_table();
  const ExtendedPoint point = edwards25519::plus_radix16_multiple(
      neutral_point(), [&](int i) { return select(table[i / 2], digits[i]); });
  // u = (1 + y) / (1 - y) = (Z + Y) / (Z - Y)
  return {point.z + point.y, point.z - point.y};
}

Digits clamped_digits(const X25519Bytes& private_key) {
  X25519Bytes scalar = private_key;
  scalar[0] &= 248;  // RFC 7748's clamping
  scalar[31] &= 127;
  scalar[31] |= 64;
  const Digits digits = signed_radix16(scalar);
  OPENSSL_cleanse(scalar.data(), scalar.size());
  return digits;
}

// Eight keys at once where the CPU has AVX-512 IFMA, the rest one by one.
std::vector<Quotient> quotients_of(std::span<const X25519Bytes> private_keys) {
  std::vector<Quotient> quotients(private_keys.size());
  std::size_t done = 0;
  if (ifma_available()) {
    std::array<Digits, 8> digits;
    for (; done + 8 <= private_keys.size(); done += 8) {
      for (std::size_t k = 0; k < 8; ++k) digits[k] = clamped_digits(private_keys[done + k]);
      const std::array<Quotient, 8> eight = eight_times_base_point(digits);
      std::copy(eight.begin(), eight.end(), quotients.begin() + static_cast<std::ptrdiff_t>(done));
    }
    OPENSSL_cleanse(digits.data(), sizeof digits);
  }
  for (; done < private_keys.size(); ++done) {
    Digits digits = clamped_digits(private_keys[done]);
    quotients[done] = times_base_point(digits);
    OPENSSL_cleanse(digits.data(), digits.size());
  }
  return quotients;
}

}  // namespace

const BaseTable& base_table() {
  static const BaseTable table = build_base_table();
  return table;
}

Digits signed_radix16(const X25519Bytes& scalar) {
  Digits digits;
  for (int i = 0; i < 32; ++i) {
    digits[2 * i] = static_cast<signed char>(scalar[i] & 15);
    digits[2 * i + 1] = static_cast<signed char>(scalar[i] >> 4);
  }
  int carry = 0;
  for (int i = 0; i < 63; ++i) {
    const int digit = digits[i] + carry;
    carry = (digit + 8) >> 4;
    digits[i] = static_cast<signed char>(digit - 16 * carry);
  }
  // The top byte is below 128, so this digit is at most 8.
  digits[63] = static_cast<signed char>(digits[63] + carry);
  return digits;
}

}  // namespace x25519_base

bool compute_x25519_public_keys(std::span<const X25519Bytes> private_keys,
                                std::span<X25519Bytes> public_keys) {
  const std::size_t count = private_keys.size();
  if (public_keys.size() != count) return false;
  if (count == 0) return true;
  const std::vector<x25519_base::Quotient> quotients = x25519_base::quotients_of(private_keys);
  std::vector<Field25519> products(count);  // of the denominators 0 to i
  products[0] = quotients[0].denominator;
  for (std::size_t i = 1; i < count; ++i) products[i] = products[i - 1] * quotients[i].denominator;
  // One inversion for all (Montgomery's trick): a zero denominator makes the product zero.
  if (products[count - 1].is_zero()) return false;
  Field25519 inverse = products[count - 1].inverse();  // of denominators 0 to i
  for (std::size_t i = count - 1; i > 0; --i) {
    public_keys[i] = (quotients[i].numerator * (inverse * products[i - 1])).to_bytes();
    inverse = inverse * quotients[i].denominator;
  }
  public_keys[0] = (quotients[0].numerator * inverse).to_bytes();
  return true;
}

bool x25519_public_keys_pass_known_answer() {
  // RFC 7748, section 6.1: Alice's and Bob's keys.
  const X25519Bytes alice_private = {0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d,
                                     0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
                                     0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a,
                                     0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a};
  const X25519Bytes alice_public = {0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54,
                                    0x74, 0x8b, 0x7d, 0xdc, 0xb4, 0x3e, 0xf7, 0x5a,
                                    0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38, 0x1a, 0xf4,
                                    0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a};
  const X25519Bytes bob_private = {0x5d, 0xab, 0x08, 0x7e, 0x62, 0x4a, 0x8a, 0x4b, 0x79, 0xe1, 0x7f,
                                   0x8b, 0x83, 0x80, 0x0e, 0xe6, 0x6f, 0x3b, 0xb1, 0x29, 0x26, 0x18,
                                   0xb6, 0xfd, 0x1c, 0x2f, 0x8b, 0x27, 0xff, 0x88, 0xe0, 0xeb};
  const X25519Bytes bob_public = {0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61,
                                  0xc2, 0xec, 0xe4, 0x35, 0x37, 0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78,
                                  0x67, 0x4d, 0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f};
  // Nine keys: eight at once where the CPU allows it, and one more by itself.
  std::array<X25519Bytes, 9> private_keys, public_keys, expected;
  for (std::size_t i = 0; i < private_keys.size(); ++i) {
    private_keys[i] = i % 2 == 0 ? alice_private : bob_private;
    expected[i] = i % 2 == 0 ? alice_public : bob_public;
  }
  return compute_x25519_public_keys(private_keys, public_keys) && public_keys == expected;
}

}  // namespace tlshop::tls
