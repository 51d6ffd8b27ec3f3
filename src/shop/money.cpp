#include "shop/money.hpp"

#include <cstdio>

namespace tlshop::shop {

std::optional<Money> checked_multiply(Money a, std::int64_t b) {
  Money result = 0;
  if (__builtin_mul_overflow(a, b, &result)) return std::nullopt;
  return result;
}

std::optional<Money> checked_add(Money a, Money b) {
  Money result = 0;
  if (__builtin_add_overflow(a, b, &result)) return std::nullopt;
  return result;
}

std::string format_money(Money amount, const std::string& currency) {
  bool negative = amount < 0;
  unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(amount)
                                          : static_cast<unsigned long long>(amount);
  char text[48];
  std::snprintf(text, sizeof text, "%s%llu.%02llu", negative ? "-" : "", magnitude / 100,
                magnitude % 100);
  return currency.empty() ? text : std::string(text) + " " + currency;
}

}  // namespace tlshop::shop
