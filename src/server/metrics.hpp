#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "tls/refusal.hpp"

namespace tlshop::server {

// Where an open connection is: in its TLS handshake, authenticated and waiting for a
// request, or authenticated with a request under way (reading, handling, replying).
enum class ConnectionPhase : std::size_t { kHandshake, kIdle, kActive };
inline constexpr std::size_t kConnectionPhases = 3;

// Why a connection was closed as soon as it came, or as soon as its handshake ended.
enum class Rejection : std::size_t {
  kSourceHandshakes,   // its source address already had its share of handshakes
  kClientConnections,  // its client certificate already had its share of connections
  kServerFull,         // the server held max_connections, none of them idle
};
inline constexpr std::size_t kRejections = 3;

// Why a datagram was dropped unanswered.
enum class DatagramDrop : std::size_t {
  kNoSession,    // from a peer without a session, and no ClientHello
  kTableFull,    // a valid cookie came back, but udp.max_peers sessions were open
  kCookieReply,  // a HelloVerifyRequest would have been larger than the ClientHello
  kEnded,        // a copy of the ClientHello of a handshake the server has just ended
};
inline constexpr std::size_t kDatagramDrops = 4;

// The server's counters, rendered for Prometheus by GET /metrics. Counting is lock-free
// on the hot path except for the per-route map, which is small and bounded.
class Metrics {
 public:
  void phase_entered(ConnectionPhase phase) {
    phases_[static_cast<std::size_t>(phase)].fetch_add(1, std::memory_order_relaxed);
  }
  void phase_left(ConnectionPhase phase) {
    phases_[static_cast<std::size_t>(phase)].fetch_sub(1, std::memory_order_relaxed);
  }
  std::int64_t in_phase(ConnectionPhase phase) const {
    return phases_[static_cast<std::size_t>(phase)].load(std::memory_order_relaxed);
  }
  std::int64_t open_connections() const {
    return in_phase(ConnectionPhase::kHandshake) + in_phase(ConnectionPhase::kIdle) +
           in_phase(ConnectionPhase::kActive);
  }
  void connection_rejected(Rejection why) {
    rejected_[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
  }
  // Closed to make room: the oldest in the handshake, or the longest idle.
  void connection_evicted(ConnectionPhase phase) {
    evicted_[static_cast<std::size_t>(phase)].fetch_add(1, std::memory_order_relaxed);
  }

  void datagram_dropped(DatagramDrop why) {
    dropped_[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
  }
  void udp_peer_added() { udp_peers_.fetch_add(1, std::memory_order_relaxed); }
  void udp_peer_removed() { udp_peers_.fetch_sub(1, std::memory_order_relaxed); }
  std::int64_t udp_peers() const { return udp_peers_.load(std::memory_order_relaxed); }

  void handshake_accepted(bool resumed);
  void handshake_refused(tls::Refusal refusal);
  // route is the API route matched, or "other": never the raw target, to bound the labels.
  void request_done(const std::string& route, unsigned status, double seconds);
  void bytes_received(std::size_t n) { bytes_in_.fetch_add(n, std::memory_order_relaxed); }
  void bytes_sent(std::size_t n) { bytes_out_.fetch_add(n, std::memory_order_relaxed); }

  // What the TLS session cache holds now, read when /metrics is rendered.
  void set_tls_sessions_probe(std::function<std::int64_t()> probe) {
    tls_sessions_probe_ = std::move(probe);
  }

  std::string render() const;

 private:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  static constexpr std::size_t kRefusals =
      static_cast<std::size_t>(tls::Refusal::kHandshakeError) + 1;

  std::array<std::atomic<std::int64_t>, kConnectionPhases> phases_{};
  std::array<std::atomic<std::uint64_t>, kRejections> rejected_{};
  std::array<std::atomic<std::uint64_t>, kConnectionPhases> evicted_{};
  std::array<std::atomic<std::uint64_t>, kDatagramDrops> dropped_{};
  std::atomic<std::int64_t> udp_peers_{0};
  std::atomic<std::uint64_t> handshakes_full_{0};
  std::atomic<std::uint64_t> handshakes_resumed_{0};
  std::array<std::atomic<std::uint64_t>, kRefusals> refusals_{};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> latency_buckets_{};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> latency_sum_micros_{0};
  std::atomic<std::uint64_t> bytes_in_{0};
  std::atomic<std::uint64_t> bytes_out_{0};
  std::function<std::int64_t()> tls_sessions_probe_;
  mutable std::mutex requests_mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
};

}  // namespace tlshop::server
