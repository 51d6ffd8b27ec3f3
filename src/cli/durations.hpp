#pragma once

#include <ctime>
#include <string_view>

namespace tlshop::cli {

// "90d", "12h", "30m", "45s", "2w" in seconds; throws UsageError naming `option` on
// anything else.
std::time_t parse_duration(std::string_view text, std::string_view option);

// A moment given as a time ("2027-01-31", "2027-01-31T12:00:00Z") or as a duration
// from `now` ("90d"). Throws UsageError naming `option`.
std::time_t parse_moment(std::string_view text, std::time_t now, std::string_view option);

}  // namespace tlshop::cli
