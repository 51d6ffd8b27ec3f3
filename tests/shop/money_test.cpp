#include "shop/money.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace tlshop::shop {
namespace {

TEST(Money, FormatsInMajorAndMinorUnits) {
  EXPECT_EQ(format_money(100000, "INR"), "1000.00 INR");
  EXPECT_EQ(format_money(5, "INR"), "0.05 INR");
  EXPECT_EQ(format_money(-250, ""), "-2.50");
  EXPECT_EQ(format_money(std::numeric_limits<Money>::min(), ""), "-92233720368547758.08");
}

TEST(Money, ArithmeticRefusesToOverflow) {
  EXPECT_EQ(checked_multiply(150000, 1000), 150000000);
  EXPECT_FALSE(checked_multiply(std::numeric_limits<Money>::max() / 2, 3));
  EXPECT_FALSE(checked_add(std::numeric_limits<Money>::max(), 1));
  EXPECT_EQ(checked_add(2, 3), 5);
}

}  // namespace
}  // namespace tlshop::shop
