#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "bench/latency_histogram.hpp"
#include "tlshop/connection_settings.hpp"

namespace tlshop::bench {

// What one operation is:
//  - kHandshakes: a new TCP connection, a full TLS handshake, one request, close;
//  - kResumed: the same, resuming the TLS session of the previous connection;
//  - kRequests: one request on a kept-alive connection;
//  - kPurchases: one POST /v1/orders (with a fresh Idempotency-Key) on a kept-alive
//    connection, as a logged-in user;
//  - kIdle: each connection does a full handshake and then sends nothing until the end,
//    so that what a server spends on idle connections can be measured;
//  - kUdpRequests: one request as a datagram over a DTLS session (UDP), round trip.
enum class Mode { kHandshakes, kResumed, kRequests, kPurchases, kIdle, kUdpRequests };

std::optional<Mode> parse_mode(const std::string& name);
const char* mode_name(Mode mode);

struct BenchSettings {
  Mode mode = Mode::kRequests;
  client::ConnectionSettings connection;
  std::size_t connections = 16;
  unsigned threads = 0;  // 0: one per core
  std::chrono::milliseconds duration{10'000};
  std::chrono::milliseconds warmup{2'000};
  double rate = 0;  // operations per second offered in all (open loop); 0: as fast as possible
  std::string path = "/v1/hello";
  std::string user, password;  // kPurchases
  std::string sku = "301";     // kPurchases
};

struct BenchResult {
  Mode mode = Mode::kRequests;
  double seconds = 0;            // measured, after the warm-up
  std::uint64_t operations = 0;  // completed with the expected status
  std::uint64_t errors = 0;
  std::uint64_t resumed = 0;  // kResumed: handshakes that did resume
  std::uint64_t retries = 0;  // kUdpRequests: requests sent again, unanswered in time
  LatencyHistogram latency;   // per operation; from the scheduled start at a fixed rate

  double per_second() const { return seconds > 0 ? static_cast<double>(operations) / seconds : 0; }
};

struct Progress {
  double elapsed = 0;
  std::uint64_t operations = 0;
  std::uint64_t errors = 0;
};

// Runs the benchmark; calls progress about once a second. Throws tlshop::Error (or
// client::ClientError) if it cannot even start: bad files, no server, login refused.
BenchResult run_benchmark(const BenchSettings& settings,
                          const std::function<void(const Progress&)>& progress = {});

}  // namespace tlshop::bench
