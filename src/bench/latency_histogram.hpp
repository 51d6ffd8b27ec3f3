#pragma once

#include <array>
#include <chrono>
#include <cstdint>

namespace tlshop::bench {

// Latencies in buckets 2% wide (one bucket below 1 µs), from
// which percentiles are read without keeping every sample. Merge one per thread.
class LatencyHistogram {
 public:
  void record(std::chrono::nanoseconds latency);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  // The latency below which the fraction q (0 < q <= 1) of the samples lie.
  std::chrono::nanoseconds percentile(double q) const;
  std::chrono::nanoseconds max() const { return max_; }
  std::chrono::nanoseconds mean() const;

 private:
  static constexpr std::size_t kBuckets = 1400;
  static std::size_t bucket_of(std::int64_t nanoseconds);
  static std::int64_t upper_bound_of(std::size_t bucket);

  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  long double sum_ = 0;
  std::chrono::nanoseconds max_{0};
};

}  // namespace tlshop::bench
