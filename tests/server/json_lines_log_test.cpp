#include "server/json_lines_log.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <regex>

#include "base/files.hpp"
#include "support/temp_dir.hpp"

namespace tlshop::server {
namespace {

TEST(JsonLinesLog, MembersWrittenAsTextParseBackExactly) {
  test::TempDir dir;
  {
    JsonLinesLog log(dir / "access.log");
    log.write(JsonMembers()
                  .text("target", "/v1/items?q=\"quoted\"\\back\nline\ttab\x01")
                  .text("subject", "CN=\xc3\xa9lodie")
                  .number("status", 200)
                  .decimal("duration_ms", 1.5));
  }
  std::string line = read_file(dir / "access.log");
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line, whatever the values held
  boost::json::object entry = boost::json::parse(line).as_object();
  ASSERT_TRUE(entry.contains("time"));
  EXPECT_TRUE(std::regex_match(std::string(entry["time"].as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  EXPECT_EQ(entry["target"].as_string(), "/v1/items?q=\"quoted\"\\back\nline\ttab\x01");
  EXPECT_EQ(entry["subject"].as_string(), "CN=\xc3\xa9lodie");
  EXPECT_EQ(entry["status"].to_number<int>(), 200);
  EXPECT_DOUBLE_EQ(entry["duration_ms"].to_number<double>(), 1.5);
}

TEST(JsonLinesLog, RotatesBySizeAndKeepsAFewFiles) {
  test::TempDir dir;
  JsonLinesLog log(dir / "audit.log", LogRotation{300, 2});
  for (int i = 0; i < 60; ++i) log.write({{"event", "test"}, {"n", i}});
  for (const char* name : {"audit.log", "audit.log.1", "audit.log.2"}) {
    ASSERT_TRUE(std::filesystem::exists(dir / name)) << name;
    EXPECT_LE(std::filesystem::file_size(dir / name), 300u) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "audit.log.3"));
  // The newest lines are in the current file.
  EXPECT_NE(read_file(dir / "audit.log").find(R"("n":59)"), std::string::npos);
}

TEST(JsonLinesLog, ReopensAtItsPathAfterTheFileWasMovedAway) {
  test::TempDir dir;
  JsonLinesLog log(dir / "access.log", LogRotation{0, 1});
  log.write({{"event", "before"}});
  std::filesystem::rename(dir / "access.log", dir / "access.log.rotated");
  log.reopen();
  log.write({{"event", "after"}});
  EXPECT_NE(read_file(dir / "access.log.rotated").find("before"), std::string::npos);
  std::string fresh = read_file(dir / "access.log");
  EXPECT_NE(fresh.find("after"), std::string::npos);
  EXPECT_EQ(fresh.find("before"), std::string::npos);
}

}  // namespace
}  // namespace tlshop::server
