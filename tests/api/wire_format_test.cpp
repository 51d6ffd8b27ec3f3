#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/error_body.hpp"
#include "tlshop/api/hello.hpp"
#include "tlshop/api/messages.hpp"
#include "tlshop/error.hpp"

namespace tlshop::api {
namespace {

using ::testing::HasSubstr;

TEST(WireFormat, HelloRoundTrips) {
  Hello hello{"hi",
              "CN=alice",
              {"URI:urn:tlshop:client:alice"},
              "0A",
              "CN=CA",
              "2027-01-01T00:00:00Z",
              "TLSv1.3",
              "TLS_AES_128_GCM_SHA256",
              true};
  Hello parsed = parse_hello(to_json(hello));
  EXPECT_EQ(parsed.subject, "CN=alice");
  EXPECT_EQ(parsed.alt_names, hello.alt_names);
  EXPECT_TRUE(parsed.resumed);
  EXPECT_EQ(parsed.cipher, "TLS_AES_128_GCM_SHA256");
}

TEST(WireFormat, MessagesRoundTrip) {
  EXPECT_EQ(parse_message_receipt(to_json(MessageReceipt{7, "t"})).id, 7u);
  std::vector<StoredMessage> messages{{1, "t1", "text/plain", "a \"quoted\"\nline"},
                                      {2, "t2", "application/xml", "<x/>"}};
  auto parsed = parse_message_list(to_json(messages));
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].body, messages[0].body);
  EXPECT_EQ(parsed[1].content_type, "application/xml");
}

TEST(WireFormat, ErrorsRoundTripAndNonErrorsAreRecognised) {
  auto error = parse_error_json(error_json("not_found", "no such path: /x"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "not_found");
  EXPECT_EQ(error->message, "no such path: /x");
  EXPECT_FALSE(parse_error_json("{}"));
  EXPECT_FALSE(parse_error_json("not json"));
  EXPECT_FALSE(parse_error_json(R"({"error":{"code":1,"message":"x"}})"));
}

TEST(WireFormat, MalformedRepliesNameTheProblem) {
  auto message_of = [](auto parse, std::string_view text) -> std::string {
    try {
      parse(text);
    } catch (const Error& e) {
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_THAT(message_of(parse_message_receipt, "[]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(message_of(parse_message_receipt, R"({"id":-1,"received_at":"x"})"),
              HasSubstr("\"id\" must be a non-negative integer"));
  EXPECT_THAT(message_of(parse_hello, R"({"greeting":"x"})"), HasSubstr("missing \"peer\""));
  std::string deep(100, '[');
  EXPECT_THAT(message_of(parse_message_list, deep), HasSubstr("malformed message list"));
}

}  // namespace
}  // namespace tlshop::api
