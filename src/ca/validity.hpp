#pragma once

#include <ctime>

namespace tlshop::ca {

inline constexpr int kDefaultLeafDays = 90;
inline constexpr int kMaxLeafDays = 825;

// When a leaf certificate is valid. Periods that start now start five minutes in the
// past, so that peers whose clock is a little slow accept a certificate at once.
struct Validity {
  std::time_t not_before;
  std::time_t not_after;

  // From now until `days` from now; throws tlshop::Error unless 1 <= days <= 825. Not
  // explicit: a number of days is the usual way to say how long.
  Validity(int days = kDefaultLeafDays);  // NOLINT(google-explicit-constructor)
  Validity(std::time_t not_before, std::time_t not_after);

  // Throws tlshop::Error naming what is wrong: an end not after the start or already
  // past, a period over 825 days, or one that outlives the issuing CA.
  void check(std::time_t issuer_not_after) const;
};

std::time_t now_seconds();
inline constexpr std::time_t kBackdateSeconds = 5 * 60;
inline constexpr std::time_t kDaySeconds = 24 * 60 * 60;

}  // namespace tlshop::ca
