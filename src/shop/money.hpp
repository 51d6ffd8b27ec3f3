#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tlshop::shop {

// An amount in the smallest unit of the shop's currency (paise, cents). Never a float.
using Money = std::int64_t;

// a * b and a + b, or nullopt if the result does not fit.
std::optional<Money> checked_multiply(Money a, std::int64_t b);
std::optional<Money> checked_add(Money a, Money b);

// "1234.50 INR": two decimal places, as most currencies have.
std::string format_money(Money amount, const std::string& currency);

}  // namespace tlshop::shop
