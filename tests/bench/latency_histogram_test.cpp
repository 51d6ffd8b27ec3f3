#include "bench/latency_histogram.hpp"

#include <gtest/gtest.h>

namespace tlshop::bench {
namespace {

using std::chrono::microseconds;
using std::chrono::nanoseconds;

// Within the histogram's 2% bucket width.
void expect_near(nanoseconds actual, nanoseconds expected) {
  EXPECT_NEAR(static_cast<double>(actual.count()), static_cast<double>(expected.count()),
              0.021 * static_cast<double>(expected.count()));
}

TEST(LatencyHistogram, PercentilesOfAUniformSpread) {
  LatencyHistogram histogram;
  for (int i = 1; i <= 1000; ++i) histogram.record(microseconds(i));
  EXPECT_EQ(histogram.count(), 1000u);
  expect_near(histogram.percentile(0.5), microseconds(500));
  expect_near(histogram.percentile(0.9), microseconds(900));
  expect_near(histogram.percentile(0.99), microseconds(990));
  EXPECT_EQ(histogram.percentile(1.0), microseconds(1000));
  EXPECT_EQ(histogram.max(), microseconds(1000));
  expect_near(histogram.mean(), nanoseconds(500'500));
}

TEST(LatencyHistogram, MergesAndStaysOrdered) {
  LatencyHistogram fast, slow;
  for (int i = 0; i < 99; ++i) fast.record(microseconds(100));
  slow.record(std::chrono::seconds(2));
  fast.merge(slow);
  EXPECT_EQ(fast.count(), 100u);
  expect_near(fast.percentile(0.99), microseconds(100));
  EXPECT_EQ(fast.percentile(0.999), std::chrono::seconds(2));
  EXPECT_LE(fast.percentile(0.5), fast.percentile(0.9));
}

TEST(LatencyHistogram, EmptyAndTiny) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.percentile(0.5), nanoseconds(0));
  histogram.record(nanoseconds(300));
  EXPECT_EQ(histogram.percentile(0.5), nanoseconds(300));
}

}  // namespace
}  // namespace tlshop::bench
