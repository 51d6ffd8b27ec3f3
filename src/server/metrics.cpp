#include "server/metrics.hpp"

#include <sstream>

namespace tlshop::server {
namespace {

// A label value as the Prometheus text format requires: backslash, quote and newline
// escaped. Route labels come from the route table, but the exposition must hold
// whatever a label is given.
std::string escaped(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

}  // namespace

void Metrics::handshake_accepted(bool resumed) {
  (resumed ? handshakes_resumed_ : handshakes_full_).fetch_add(1, std::memory_order_relaxed);
}

void Metrics::handshake_refused(tls::Refusal refusal) {
  refusals_[static_cast<std::size_t>(refusal)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::request_done(const std::string& route, unsigned status, double seconds) {
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  latency_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6),
                                std::memory_order_relaxed);
  std::lock_guard lock(requests_mutex_);
  ++requests_[{route, status}];
}

std::string Metrics::render() const {
  std::ostringstream out;
  out << "# HELP tlshop_open_connections Connections open now.\n"
      << "# TYPE tlshop_open_connections gauge\n"
      << "tlshop_open_connections " << open_connections() << "\n"
      << "# HELP tlshop_connections Open connections by phase: in the TLS handshake, idle "
         "between requests, or with a request under way.\n"
      << "# TYPE tlshop_connections gauge\n"
      << "tlshop_connections{phase=\"handshake\"} " << in_phase(ConnectionPhase::kHandshake) << "\n"
      << "tlshop_connections{phase=\"idle\"} " << in_phase(ConnectionPhase::kIdle) << "\n"
      << "tlshop_connections{phase=\"active\"} " << in_phase(ConnectionPhase::kActive) << "\n"
      << "# HELP tlshop_tls_sessions TLS sessions cached for resumption (limits.tls_sessions).\n"
      << "# TYPE tlshop_tls_sessions gauge\n"
      << "tlshop_tls_sessions " << (tls_sessions_probe_ ? tls_sessions_probe_() : 0) << "\n"
      << "# HELP tlshop_udp_peers UDP peers with a DTLS session now (udp.max_peers).\n"
      << "# TYPE tlshop_udp_peers gauge\n"
      << "tlshop_udp_peers " << udp_peers() << "\n"
      << "# HELP tlshop_datagrams_dropped_total Datagrams dropped unanswered, by why.\n"
      << "# TYPE tlshop_datagrams_dropped_total counter\n"
      << "tlshop_datagrams_dropped_total{reason=\"no_session\"} "
      << dropped_[static_cast<std::size_t>(DatagramDrop::kNoSession)].load() << "\n"
      << "tlshop_datagrams_dropped_total{reason=\"max_peers\"} "
      << dropped_[static_cast<std::size_t>(DatagramDrop::kTableFull)].load() << "\n"
      << "tlshop_datagrams_dropped_total{reason=\"cookie_reply_too_large\"} "
      << dropped_[static_cast<std::size_t>(DatagramDrop::kCookieReply)].load() << "\n"
      << "tlshop_datagrams_dropped_total{reason=\"ended_handshake\"} "
      << dropped_[static_cast<std::size_t>(DatagramDrop::kEnded)].load() << "\n"
      << "# HELP tlshop_rejected_connections_total Connections closed on arrival or right "
         "after their handshake, by the limit they met.\n"
      << "# TYPE tlshop_rejected_connections_total counter\n"
      << "tlshop_rejected_connections_total{reason=\"handshakes_per_source\"} "
      << rejected_[static_cast<std::size_t>(Rejection::kSourceHandshakes)].load() << "\n"
      << "tlshop_rejected_connections_total{reason=\"connections_per_client\"} "
      << rejected_[static_cast<std::size_t>(Rejection::kClientConnections)].load() << "\n"
      << "tlshop_rejected_connections_total{reason=\"max_connections\"} "
      << rejected_[static_cast<std::size_t>(Rejection::kServerFull)].load() << "\n"
      << "# HELP tlshop_evicted_connections_total Connections closed to make room: the oldest "
         "in the handshake, or the longest idle.\n"
      << "# TYPE tlshop_evicted_connections_total counter\n"
      << "tlshop_evicted_connections_total{phase=\"handshake\"} "
      << evicted_[static_cast<std::size_t>(ConnectionPhase::kHandshake)].load() << "\n"
      << "tlshop_evicted_connections_total{phase=\"idle\"} "
      << evicted_[static_cast<std::size_t>(ConnectionPhase::kIdle)].load() << "\n"
      << "# HELP tlshop_handshakes_total TLS handshakes by outcome and, if refused, reason.\n"
      << "# TYPE tlshop_handshakes_total counter\n"
      << "tlshop_handshakes_total{outcome=\"accepted\",resumed=\"false\"} "
      << handshakes_full_.load() << "\n"
      << "tlshop_handshakes_total{outcome=\"accepted\",resumed=\"true\"} "
      << handshakes_resumed_.load() << "\n";
  for (std::size_t i = 0; i < kRefusals; ++i) {
    out << "tlshop_handshakes_total{outcome=\"refused\",reason=\""
        << tls::refusal_code(static_cast<tls::Refusal>(i)) << "\"} " << refusals_[i].load() << "\n";
  }
  out << "# HELP tlshop_requests_total HTTP requests by route and status.\n"
      << "# TYPE tlshop_requests_total counter\n";
  {
    std::lock_guard lock(requests_mutex_);
    for (const auto& [key, count] : requests_) {
      out << "tlshop_requests_total{route=\"" << escaped(key.first) << "\",status=\"" << key.second
          << "\"} " << count << "\n";
    }
  }
  out << "# HELP tlshop_request_duration_seconds Time from a request's first byte to its "
         "response.\n"
      << "# TYPE tlshop_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += latency_buckets_[i].load();
    out << "tlshop_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative
        << "\n";
  }
  cumulative += latency_buckets_[kBuckets.size()].load();
  out << "tlshop_request_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "tlshop_request_duration_seconds_sum " << latency_sum_micros_.load() / 1e6 << "\n"
      << "tlshop_request_duration_seconds_count " << latency_count_.load() << "\n"
      << "# HELP tlshop_received_bytes_total HTTP bytes received.\n"
      << "# TYPE tlshop_received_bytes_total counter\n"
      << "tlshop_received_bytes_total " << bytes_in_.load() << "\n"
      << "# HELP tlshop_sent_bytes_total HTTP bytes sent.\n"
      << "# TYPE tlshop_sent_bytes_total counter\n"
      << "tlshop_sent_bytes_total " << bytes_out_.load() << "\n";
  return out.str();
}

}  // namespace tlshop::server
