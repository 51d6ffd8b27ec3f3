#pragma once

#include <array>

#include "tls/x25519_base_table.hpp"

namespace tlshop::tls::x25519_base {

// Whether this CPU, and the operating system's saving of its registers, has AVX-512's
// 52-bit multiply-add (IFMA): eight keys are then multiplied at once, one in each
// 64-bit lane, in less than half the time of eight one after the other.
bool ifma_available();

// The same multiplication as the portable code, for eight scalars at once; call only
// where ifma_available().
std::array<Quotient, 8> eight_times_base_point(const std::array<Digits, 8>& digits);

}  // namespace tlshop::tls::x25519_base
