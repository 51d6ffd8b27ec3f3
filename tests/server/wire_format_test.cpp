// tlshop writes its responses itself; the bytes must be what Beast's serializer writes.
#include <gtest/gtest.h>

#include <boost/beast/http/write.hpp>
#include <sstream>

#include "server/http_types.hpp"

namespace tlshop::server {
namespace {

namespace http = boost::beast::http;

std::string as_beast_writes_it(const Response& response) {
  std::ostringstream out;
  out << response;
  return out.str();
}

std::vector<Response> responses() {
  std::vector<Response> all;
  all.push_back(make_response(http::status::ok, R"({"items":[]})"));
  all.push_back(error_response(http::status::not_found, "not_found", "no such item"));
  all.push_back(method_not_allowed("GET, POST"));
  all.push_back(make_response(http::status::created, "stored", "text/plain"));
  Response closing = make_response(http::status::ok, "{}");
  closing.keep_alive(false);
  all.push_back(closing);
  Response empty{http::status::no_content, 11};
  empty.set(http::field::server, "tlshop");
  all.push_back(empty);
  Response with_reason = make_response(http::status::ok, "{}");
  with_reason.reason("Fine");
  all.push_back(with_reason);
  Response old = make_response(http::status::ok, "{}");
  old.version(10);
  all.push_back(old);
  return all;
}

TEST(WireFormat, IsByteForByteWhatBeastWrites) {
  for (const Response& response : responses()) {
    EXPECT_EQ(wire_format(response), as_beast_writes_it(response));
  }
}

TEST(WireFormat, AReplyToHeadKeepsItsLengthAndLeavesTheBodyOut) {
  Response response = make_response(http::status::ok, R"({"items":[]})");
  std::string full = wire_format(response);
  std::string head = wire_format(response, false);
  EXPECT_EQ(head + response.body(), full);
  EXPECT_NE(head.find("Content-Length: 12\r\n"), std::string::npos);
  EXPECT_TRUE(head.ends_with("\r\n\r\n"));
}

}  // namespace
}  // namespace tlshop::server
