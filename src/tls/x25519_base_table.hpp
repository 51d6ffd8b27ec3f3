#pragma once

#include <array>
#include <cstdint>

#include "tls/field25519.hpp"
#include "tls/x25519_public_keys.hpp"

// The table of multiples of Ed25519's base point that X25519 public keys are computed
// from, and what the portable computation and the AVX-512 one share.
namespace tlshop::tls::x25519_base {

// An affine point as the table holds it, ready to add: y + x, y - x and 2 d x y. Padded
// to a whole number of 16-byte lanes, which the portable selection reads it in.
struct alignas(16) TableEntry {
  Field25519 y_plus_x, y_minus_x, xy_2d;
  std::uint64_t padding = 0;
};

// [i][j] = (j + 1) 256^i B: a scalar's radix-16 digits pick one entry per row.
using BaseTable = std::array<std::array<TableEntry, 8>, 32>;

// Built at first use.
const BaseTable& base_table();

// scalar = sum of digits[i] 16^i, each digit in [-8, 8] (only the last can be 8).
using Digits = std::array<signed char, 64>;
Digits signed_radix16(const X25519Bytes& clamped_scalar);

// A key's u-coordinate, not yet divided: (Z + Y) / (Z - Y) of its point.
struct Quotient {
  Field25519 numerator, denominator;
};

}  // namespace tlshop::tls::x25519_base
