#include "cli/durations.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <string>

#include "cli/usage_error.hpp"

namespace tlshop::cli {
namespace {

std::time_t unit_seconds(char unit) {
  switch (unit) {
    case 's':
      return 1;
    case 'm':
      return 60;
    case 'h':
      return 60 * 60;
    case 'd':
      return 24 * 60 * 60;
    case 'w':
      return 7 * 24 * 60 * 60;
    default:
      return 0;
  }
}

// The longest anything in a CA lasts, and then some: keeps the arithmetic far from
// overflow.
constexpr std::time_t kMaxDurationSeconds = 100LL * 366 * 24 * 60 * 60;

bool parse_time(std::string_view text, std::time_t& out) {
  std::tm parts{};
  std::string owned(text);
  const char* end = strptime(owned.c_str(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  if (end == nullptr || *end != '\0') {
    parts = {};
    end = strptime(owned.c_str(), "%Y-%m-%d", &parts);
    if (end == nullptr || *end != '\0') return false;
  }
  out = timegm(&parts);
  return true;
}

}  // namespace

std::time_t parse_duration(std::string_view text, std::string_view option) {
  std::time_t count = 0;
  std::time_t unit = text.empty() ? 0 : unit_seconds(text.back());
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, count);
  if (unit == 0 || ec != std::errc() || end != text.data() + text.size() - 1 || count < 1 ||
      count > kMaxDurationSeconds / unit) {
    throw UsageError(std::string(option) + ": '" + std::string(text) +
                     "' is not a duration such as 90d, 12h, 30m or 2w");
  }
  return count * unit;
}

std::time_t parse_moment(std::string_view text, std::time_t now, std::string_view option) {
  std::time_t moment = 0;
  if (parse_time(text, moment)) return moment;
  bool looks_like_duration =
      text.size() >= 2 && unit_seconds(text.back()) != 0 &&
      std::all_of(text.begin(), text.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
  if (looks_like_duration) return now + parse_duration(text, option);
  throw UsageError(std::string(option) + ": '" + std::string(text) +
                   "' is neither a time (2027-01-31 or 2027-01-31T12:00:00Z) nor a duration "
                   "(90d, 12h)");
}

}  // namespace tlshop::cli
