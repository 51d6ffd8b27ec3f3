#include "server/metrics.hpp"

#include <gtest/gtest.h>

namespace tlshop::server {
namespace {

TEST(Metrics, LabelValuesAreEscapedAsTheTextFormatRequires) {
  Metrics metrics;
  metrics.request_done("a\"b\\c\nd", 200, 0.001);
  std::string text = metrics.render();
  EXPECT_NE(text.find("tlshop_requests_total{route=\"a\\\"b\\\\c\\nd\",status=\"200\"} 1\n"),
            std::string::npos)
      << text;
}

TEST(Metrics, ConnectionsAreCountedByPhaseRejectionAndEviction) {
  Metrics metrics;
  metrics.phase_entered(ConnectionPhase::kHandshake);
  metrics.phase_entered(ConnectionPhase::kIdle);
  metrics.phase_entered(ConnectionPhase::kIdle);
  metrics.phase_left(ConnectionPhase::kIdle);
  metrics.connection_rejected(Rejection::kSourceHandshakes);
  metrics.connection_evicted(ConnectionPhase::kHandshake);
  std::string text = metrics.render();
  EXPECT_NE(text.find("tlshop_open_connections 2\n"), std::string::npos);
  EXPECT_NE(text.find("tlshop_connections{phase=\"idle\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("tlshop_rejected_connections_total{reason=\"handshakes_per_source\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("tlshop_evicted_connections_total{phase=\"handshake\"} 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace tlshop::server
