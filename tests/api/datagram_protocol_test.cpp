#include "api/datagram_protocol.hpp"

#include <gtest/gtest.h>

#include "tlshop/api/shop_messages.hpp"
#include "tlshop/error.hpp"

namespace tlshop::api {
namespace {

TEST(DatagramProtocol, ARequestRoundTripsAndStandsForItsHttpCall) {
  DatagramRequest buy{7, "buy", "secret-token", {{"sku", "401"}, {"quantity", "2"}}};
  DatagramRequest read = parse_datagram_request(to_json(buy));
  EXPECT_EQ(read.id, 7u);
  EXPECT_EQ(read.op, "buy");
  EXPECT_EQ(read.token, "secret-token");
  HttpEquivalent http = http_equivalent(read);
  EXPECT_EQ(http.method, "POST");
  EXPECT_EQ(http.target, "/v1/orders");
  EXPECT_EQ(parse_order_request(http.body).quantity, 2);
  EXPECT_EQ(http.idempotency_key, "udp-7");

  DatagramRequest items{8, "items", {}, {{"category", "House-hold items"}, {"limit", "5"}}};
  EXPECT_EQ(http_equivalent(items).target, "/v1/items?category=House-hold%20items&limit=5");
  DatagramRequest item{9, "item", {}, {{"sku", "a/b"}}};
  EXPECT_EQ(http_equivalent(item).target, "/v1/items/a%2Fb");
}

TEST(DatagramProtocol, EveryCarriedHttpCallMapsToADatagramAndBack) {
  struct Call {
    const char* method;
    std::string target, body;
  };
  for (const Call& call : std::vector<Call>{
           {"GET", "/v1/hello", ""},
           {"GET", "/v1/items?category=House-hold%20items&limit=5", ""},
           {"GET", "/v1/items/a%2Fb", ""},
           {"POST", "/v1/sessions", to_json(LoginRequest{"alice", "pw pw pw pw"})},
           {"POST", "/v1/orders", to_json(OrderRequest{"401", 2})},
           {"POST", "/v1/receipt/close", ""},
           {"GET", "/v1/messages?since=3&limit=10", ""},
       }) {
    DatagramRequest datagram = datagram_equivalent(call.method, call.target, call.body, "");
    HttpEquivalent back = http_equivalent(datagram);
    EXPECT_EQ(back.method, call.method) << call.target;
    EXPECT_EQ(back.target, call.target);
    EXPECT_EQ(back.body, call.body);
  }
  EXPECT_THROW(datagram_equivalent("GET", "/metrics", "", ""), Error);
  EXPECT_THROW(datagram_equivalent("POST", "/v1/admin/users", "{}", ""), Error);
}

TEST(DatagramProtocol, NumbersMayComeAsJsonNumbers) {
  DatagramRequest read =
      parse_datagram_request(R"({"v":1,"id":3,"op":"buy","args":{"sku":"401","quantity":4}})");
  EXPECT_EQ(parse_order_request(http_equivalent(read).body).quantity, 4);
}

TEST(DatagramProtocol, BadRequestsAreRefusedWithTheReason) {
  auto refusal = [](std::string_view text) {
    try {
      http_equivalent(parse_datagram_request(text));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refusal(R"({"v":2,"id":1,"op":"hello"})").find("version 1"), std::string::npos);
  EXPECT_NE(refusal(R"({"v":1,"id":-1,"op":"hello"})"), "accepted");
  EXPECT_NE(refusal(R"({"v":1,"id":1,"op":"rm -rf"})").find("unknown operation"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"v":1,"id":1,"op":"buy","args":{"sku":"401"}})").find("quantity"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"v":1,"id":1,"op":"buy","args":{"sku":"401","quantity":"2x"}})")
                .find("whole number"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"v":1,"id":1,"op":"items","args":{"limit":[1]}})"), "accepted");
  EXPECT_NE(refusal("not json"), "accepted");
  EXPECT_NE(refusal(std::string(2000, ' ') + "{}").find("larger than a datagram"),
            std::string::npos);
}

TEST(DatagramProtocol, TheIdOfARequestThatDoesNotParseIsStillFound) {
  EXPECT_EQ(datagram_request_id(R"({"v":1,"id":5,"op":"format-disk"})"), 5u);
  EXPECT_EQ(datagram_request_id("not json"), 0u);
}

TEST(DatagramProtocol, RepliesCarryTheHttpStatusAndBody) {
  DatagramReply ok = parse_datagram_reply(datagram_reply_json(5, 201, R"({"id":12})"));
  EXPECT_EQ(ok.id, 5u);
  EXPECT_EQ(ok.status, 201u);
  EXPECT_EQ(ok.result, R"({"id":12})");
  DatagramReply refused = parse_datagram_reply(datagram_reply_json(
      6, 409, R"({"error":{"code":"insufficient_stock","message":"only 3 left"}})"));
  EXPECT_EQ(refused.status, 409u);
  EXPECT_EQ(refused.error_code, "insufficient_stock");
  EXPECT_EQ(refused.error_message, "only 3 left");
  EXPECT_TRUE(refused.result.empty());
}

}  // namespace
}  // namespace tlshop::api
