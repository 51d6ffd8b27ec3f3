#include <gtest/gtest.h>

#include "server/listen_address.hpp"
#include "server/query_string.hpp"
#include "tlshop/error.hpp"

namespace tlshop::server {
namespace {

TEST(RequestTarget, FindsAndDecodesParameters) {
  auto target = RequestTarget::parse("/v1/items?category=House%2Dhold+items&limit=5&q=a%2Bb%26c");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path(), "/v1/items");
  EXPECT_EQ(target->query(), "category=House%2Dhold+items&limit=5&q=a%2Bb%26c");
  EXPECT_EQ(target->parameter("category"), "House-hold items");
  EXPECT_EQ(target->parameter("limit"), "5");
  EXPECT_EQ(target->parameter("q"), "a+b&c");
  EXPECT_EQ(target->parameter("cursor"), std::nullopt);
  EXPECT_EQ(RequestTarget::parse("/healthz")->query(), "");
  EXPECT_EQ(decoded_segment("a%2Fb%20c"), "a/b c");
}

TEST(RequestTarget, ReadsOnlyItsOwnCharacters) {
  // A request's target is a view into a larger buffer, with no NUL after it.
  std::string buffer = "/v1/messages?since=0 HTTP/1.1\r\nsince=999";
  auto target = RequestTarget::parse(std::string_view(buffer).substr(0, 20));
  ASSERT_TRUE(target);
  EXPECT_EQ(target->parameter("since"), "0");
}

TEST(RequestTarget, RefusesTargetsThatAreNotAPathAndQuery) {
  for (const char* bad : {"/v1/items?q=%zz", "/v1/items?q=%4", "/a b", "*", "http://x/y",
                          "v1/items", "/v1/\x01", ""}) {
    EXPECT_FALSE(RequestTarget::parse(bad)) << bad;
  }
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
