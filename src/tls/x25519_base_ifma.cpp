#include "tls/x25519_base_ifma.hpp"

#include <immintrin.h>

#include <cstdint>

namespace tlshop::tls::x25519_base {

bool ifma_available() {
  static const bool available =
      __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512ifma") != 0;
  return available;
}

}  // namespace tlshop::tls::x25519_base

// Everything below runs only where ifma_available(): nothing in it may run at start-up.
#pragma GCC push_options
#pragma GCC target("avx512f,avx512ifma")

// Here, not with the includes above: the formulas' eight-lane instances must be compiled
// for AVX-512 too, and nothing included above may bring this header in first.
#include "tls/edwards25519_points.hpp"

namespace tlshop::tls::x25519_base {
namespace {

// One 64-bit limb of each of eight elements. GCC's vector type, for its operators; the
// intrinsics take it as an __m512i.
using Lanes = std::uint64_t __attribute__((vector_size(64)));
using SignedLanes = std::int64_t __attribute__((vector_size(64)));

__m512i raw(Lanes lanes) { return reinterpret_cast<__m512i>(lanes); }

// Eight field elements, five limbs of 51 bits as in Field25519. IFMA multiplies the low 52
// bits of its operands, so every operation leaves each limb below 2^52 (the same bounds
// as Field25519's: below 2^51 + 19 * 2^13).
struct Field8 {
  Lanes limb[5];

  Field8 squared() const;
};

Lanes all(std::uint64_t value) { return Lanes{} + value; }
Lanes low51(Lanes a) { return a & field25519_limbs::kMask; }
Lanes carry51(Lanes a) { return a >> 51; }
// 2^255 = 19 mod p. Shifts and adds: a 64-bit lane multiply takes three instructions.
Lanes times19(Lanes a) { return (a << 4) + (a << 1) + a; }

// As field25519_limbs::carried: every limb's carry moves up at once.
Field8 carried(const Field8& f) {
  return {{low51(f.limb[0]) + times19(carry51(f.limb[4])), low51(f.limb[1]) + carry51(f.limb[0]),
           low51(f.limb[2]) + carry51(f.limb[1]), low51(f.limb[3]) + carry51(f.limb[2]),
           low51(f.limb[4]) + carry51(f.limb[3])}};
}

Field8 operator+(const Field8& a, const Field8& b) {
  Field8 sum;
  for (int i = 0; i < 5; ++i) sum.limb[i] = a.limb[i] + b.limb[i];
  return carried(sum);
}

// Adds 2p first, as Field25519 does, so that no limb goes below zero.
Field8 operator-(const Field8& a, const Field8& b) {
  Field8 difference;
  for (int i = 0; i < 5; ++i) {
    const Lanes two_p = all(i == 0 ? 0xfffffffffffdaULL : 0xffffffffffffeULL);
    difference.limb[i] = a.limb[i] + two_p - b.limb[i];
  }
  return carried(difference);
}

// Schoolbook with IFMA: a product of two limbs below 2^52 comes as its low 52 bits and
// its high 52 bits, the high ones worth 2^52 = 2 * 2^51, so twice as much in the next
// column. Columns stay below 2^56; the five above 2^255 fold back times 19 (below 2^61).
Field8 operator*(const Field8& a, const Field8& b) {
  Lanes low[9] = {}, high[9] = {};
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) {
      low[i + j] = reinterpret_cast<Lanes>(
          _mm512_madd52lo_epu64(raw(low[i + j]), raw(a.limb[i]), raw(b.limb[j])));
      high[i + j] = reinterpret_cast<Lanes>(
          _mm512_madd52hi_epu64(raw(high[i + j]), raw(a.limb[i]), raw(b.limb[j])));
    }
  }
  Lanes column[10];
  column[0] = low[0];
  for (int k = 1; k < 9; ++k) column[k] = low[k] + (high[k - 1] << 1);
  column[9] = high[8] << 1;
  for (int k = 0; k < 5; ++k) column[k] += times19(column[k + 5]);
  for (int k = 0; k < 4; ++k) {
    column[k + 1] += carry51(column[k]);
    column[k] = low51(column[k]);
  }
  column[0] += times19(carry51(column[4]));
  column[4] = low51(column[4]);
  column[1] += carry51(column[0]);
  column[0] = low51(column[0]);
  return {{column[0], column[1], column[2], column[3], column[4]}};
}

Field8 Field8::squared() const { return *this * *this; }

Field8 broadcast(const Field25519& element) {
  Field8 lanes;
  for (int i = 0; i < 5; ++i) lanes.limb[i] = all(element.limbs()[i]);
  return lanes;
}

// Where mask has a lane's bit, that lane of other; elsewhere, of f.
void take(Field8& f, __mmask8 mask, const Field8& other) {
  for (int i = 0; i < 5; ++i) {
    f.limb[i] =
        reinterpret_cast<Lanes>(_mm512_mask_mov_epi64(raw(f.limb[i]), mask, raw(other.limb[i])));
  }
}

using ExtendedPoint8 = edwards25519::ExtendedPoint<Field8>;

// A table entry in every lane, ready to add.
struct Entry8 {
  Field8 y_plus_x, y_minus_x, xy_2d;
};

// Each lane's digit times the row's point: every entry is read for every lane, and each
// lane keeps the one its digit names, by mask.
Entry8 select(const std::array<TableEntry, 8>& row, SignedLanes digits) {
  const SignedLanes sign = digits >> 63;  // all ones where negative
  const Lanes magnitudes = reinterpret_cast<Lanes>((digits ^ sign) - sign);
  const __mmask8 negative =
      _mm512_cmplt_epi64_mask(reinterpret_cast<__m512i>(digits), _mm512_setzero_si512());
  const Field8 one = broadcast(Field25519::one());
  Entry8 entry{one, one, broadcast(Field25519{})};  // the neutral point
  for (std::uint64_t j = 0; j < row.size(); ++j) {
    const __mmask8 wanted = _mm512_cmpeq_epi64_mask(raw(magnitudes), raw(all(j + 1)));
    take(entry.y_plus_x, wanted, broadcast(row[j].y_plus_x));
    take(entry.y_minus_x, wanted, broadcast(row[j].y_minus_x));
    take(entry.xy_2d, wanted, broadcast(row[j].xy_2d));
  }
  const Entry8 negated{entry.y_minus_x, entry.y_plus_x, broadcast(Field25519{}) - entry.xy_2d};
  take(entry.y_plus_x, negative, negated.y_plus_x);
  take(entry.y_minus_x, negative, negated.y_minus_x);
  take(entry.xy_2d, negative, negated.xy_2d);
  return entry;
}

SignedLanes digit_lanes(const std::array<Digits, 8>& digits, int position) {
  SignedLanes lanes;
  for (int k = 0; k < 8; ++k) lanes[k] = digits[k][position];
  return lanes;
}

Field25519 lane(const Field8& f, int k) {
  return Field25519::from_limbs(
      {f.limb[0][k], f.limb[1][k], f.limb[2][k], f.limb[3][k], f.limb[4][k]});
}

}  // namespace

// As times_base_point, eight scalars at once.
std::array<Quotient, 8> eight_times_base_point(const std::array<Digits, 8>& digits) {
  const BaseTable& table = base_table();
  const Field8 zero = broadcast(Field25519{}), one = broadcast(Field25519::one());
  const ExtendedPoint8 point = edwards25519::plus_radix16_multiple(
      ExtendedPoint8{zero, one, one, zero},
      [&](int i) { return select(table[i / 2], digit_lanes(digits, i)); });
  const Field8 numerators = point.z + point.y, denominators = point.z - point.y;
  std::array<Quotient, 8> quotients;
  for (int k = 0; k < 8; ++k) quotients[k] = {lane(numerators, k), lane(denominators, k)};
  return quotients;
}

}  // namespace tlshop::tls::x25519_base

#pragma GCC pop_options
