#include "bench/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace tlshop::bench {
namespace {

constexpr double kGrowth = 1.02;
constexpr std::int64_t kFirst = 1000;  // 1 µs: below it, one bucket

}  // namespace

std::size_t LatencyHistogram::bucket_of(std::int64_t nanoseconds) {
  if (nanoseconds < kFirst) return 0;
  auto index = static_cast<std::size_t>(
      1 + std::floor(std::log(static_cast<double>(nanoseconds) / kFirst) / std::log(kGrowth)));
  return std::min(index, kBuckets - 1);
}

std::int64_t LatencyHistogram::upper_bound_of(std::size_t bucket) {
  return static_cast<std::int64_t>(kFirst * std::pow(kGrowth, static_cast<double>(bucket)));
}

void LatencyHistogram::record(std::chrono::nanoseconds latency) {
  ++buckets_[bucket_of(latency.count())];
  ++count_;
  sum_ += static_cast<long double>(latency.count());
  max_ = std::max(max_, latency);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

std::chrono::nanoseconds LatencyHistogram::percentile(double q) const {
  if (count_ == 0) return std::chrono::nanoseconds(0);
  auto wanted = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= wanted) return std::min(std::chrono::nanoseconds(upper_bound_of(i)), max_);
  }
  return max_;
}

std::chrono::nanoseconds LatencyHistogram::mean() const {
  if (count_ == 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(sum_ / count_));
}

}  // namespace tlshop::bench
