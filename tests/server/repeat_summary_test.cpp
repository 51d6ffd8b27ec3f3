#include "server/repeat_summary.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <sstream>
#include <vector>

#include "base/files.hpp"
#include "server/json_lines_log.hpp"
#include "support/temp_dir.hpp"

namespace tlshop::server {
namespace {

std::vector<boost::json::object> lines_of(const std::filesystem::path& path) {
  std::vector<boost::json::object> lines;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) {
    lines.push_back(boost::json::parse(line).as_object());
  }
  return lines;
}

TEST(RepeatSummary, OneLinePerSourceAndReasonThenACount) {
  test::TempDir dir;
  JsonLinesLog log(dir / "audit.log");
  RepeatSummary summary(log, std::chrono::seconds(3600));
  for (int i = 0; i < 100; ++i) {
    summary.write("127.0.0.2", "not_tls", {{"event", "handshake_refused"}, {"n", i}});
  }
  summary.write("127.0.0.2", "timeout", {{"event", "handshake_refused"}});
  summary.write("127.0.0.3", "not_tls", {{"event", "handshake_refused"}});
  summary.flush();  // the interval has not ended: nothing yet
  EXPECT_EQ(lines_of(dir / "audit.log").size(), 3u);
  summary.flush(true);
  auto lines = lines_of(dir / "audit.log");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].at("n").as_int64(), 0);
  EXPECT_EQ(lines[3].at("event").as_string(), "handshake_refused_repeated");
  EXPECT_EQ(lines[3].at("remote_address").as_string(), "127.0.0.2");
  EXPECT_EQ(lines[3].at("reason").as_string(), "not_tls");
  EXPECT_EQ(lines[3].at("count").to_number<std::uint64_t>(), 99u);
}

TEST(RepeatSummary, ANewIntervalStartsWithAFullLine) {
  test::TempDir dir;
  JsonLinesLog log(dir / "audit.log");
  RepeatSummary summary(log, std::chrono::seconds(0));
  summary.write("127.0.0.2", "not_tls", {{"event", "handshake_refused"}});
  summary.write("127.0.0.2", "not_tls", {{"event", "handshake_refused"}});
  EXPECT_EQ(lines_of(dir / "audit.log").size(), 2u);
}

TEST(RepeatSummary, TracksABoundedNumberOfSources) {
  test::TempDir dir;
  JsonLinesLog log(dir / "audit.log");
  RepeatSummary summary(log, std::chrono::seconds(3600), 2);
  for (int i = 0; i < 1000; ++i) {
    summary.write("10.0.0." + std::to_string(i), "not_tls", {{"event", "handshake_refused"}});
  }
  summary.flush(true);
  auto lines = lines_of(dir / "audit.log");
  ASSERT_EQ(lines.size(), 3u);  // two sources in full, then everyone else counted
  EXPECT_EQ(lines[2].at("remote_address").as_string(), "(others)");
  EXPECT_EQ(lines[2].at("count").to_number<std::uint64_t>(), 998u);
}

}  // namespace
}  // namespace tlshop::server
