#include <gtest/gtest.h>

#include "server/listen_address.hpp"
#include "server/query_string.hpp"
#include "tlshop/error.hpp"

namespace tlshop::server {
namespace {

TEST(QueryString, FindsAndDecodesParameters) {
  auto [path, query] = split_target("/v1/items?category=House%2Dhold+items&limit=5");
  EXPECT_EQ(path, "/v1/items");
  EXPECT_EQ(query_parameter(query, "category"), "House-hold items");
  EXPECT_EQ(query_parameter(query, "limit"), "5");
  EXPECT_EQ(query_parameter(query, "cursor"), std::nullopt);
  EXPECT_EQ(query_parameter("a=%zz%4", "a"), "%zz%4");
  EXPECT_EQ(split_target("/healthz").second, "");
}

TEST(QueryString, UnsignedNumbersOnly) {
  EXPECT_EQ(parse_unsigned("42"), 42u);
  EXPECT_EQ(parse_unsigned("0"), 0u);
  for (const char* bad : {"", "-1", "+1", "1.5", "1e3", " 1", "18446744073709551616", "abc"}) {
    EXPECT_EQ(parse_unsigned(bad), std::nullopt) << bad;
  }
}

TEST(ListenAddress, ParsesV4V6AndWildcard) {
  EXPECT_EQ(ListenAddress::parse("127.0.0.1:5555").to_string(), "127.0.0.1:5555");
  EXPECT_EQ(ListenAddress::parse("[::1]:0").host, "::1");
  EXPECT_EQ(ListenAddress::parse("[::1]:443").to_string(), "[::1]:443");
  EXPECT_EQ(ListenAddress::parse(":80").host, "0.0.0.0");
  for (const char* bad : {"localhost", "::1:80", "127.0.0.1:", "127.0.0.1:65536", "h:x"}) {
    EXPECT_THROW(ListenAddress::parse(bad), Error) << bad;
  }
}

}  // namespace
}  // namespace tlshop::server
