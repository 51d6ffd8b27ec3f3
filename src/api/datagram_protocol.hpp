#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tlshop::api {

// The shop over UDP: one JSON request per DTLS record, one reply per request, each in
// one datagram. A request names an operation of the HTTP API (its OpenAPI operationId)
// and carries its arguments; the reply carries the HTTP status and the same JSON body
// the HTTP API answers, so both transports share every rule and every parser.
//
//   {"v":1,"id":7,"op":"buy","token":"...","args":{"sku":"401","quantity":2}}
//   {"v":1,"id":7,"status":201,"result":{"id":12,"sku":"401",...}}
//   {"v":1,"id":7,"status":409,"error":{"code":"insufficient_stock","message":"..."}}
//
// A client retries with the same id; the server answers a repeated id with the reply it
// gave first, so a purchase is applied once however often it is sent.
inline constexpr int kDatagramVersion = 1;
// The largest request or reply, JSON bytes: one record in a 1200-byte datagram.
inline constexpr std::size_t kMaxDatagramMessage = 1100;

struct DatagramRequest {
  std::uint64_t id = 0;
  std::string op;
  std::string token;
  // Arguments: strings, or whole numbers written as digits (quantity, since, limit).
  std::vector<std::pair<std::string, std::string>> args;

  const std::string* arg(std::string_view name) const;
};

std::string to_json(const DatagramRequest& request);
// Throws tlshop::Error naming what is wrong (version, id, op, an argument).
DatagramRequest parse_datagram_request(std::string_view text);
// The id of a request that may not parse, so that its refusal can name it; 0 if none.
std::uint64_t datagram_request_id(std::string_view text);

// The HTTP request a datagram request stands for.
struct HttpEquivalent {
  std::string method;
  std::string target;
  std::string body;
  std::string content_type;
  std::string idempotency_key;  // for purchases: the request id's
};
// Throws tlshop::Error for an unknown operation or a missing argument.
HttpEquivalent http_equivalent(const DatagramRequest& request);

// The other way: the datagram request an HTTP call of the API stands for (id and token
// left to the caller). Throws tlshop::Error for a call the datagram protocol does not
// carry (the administration routes, /metrics).
DatagramRequest datagram_equivalent(std::string_view method, std::string_view target,
                                    std::string_view body, std::string_view content_type);

struct DatagramReply {
  std::uint64_t id = 0;
  unsigned status = 0;
  std::string result;  // the HTTP body's JSON, when status < 300
  std::string error_code, error_message;
};

// From the HTTP status and body the request's HTTP equivalent got.
std::string datagram_reply_json(std::uint64_t id, unsigned status, std::string_view body);
DatagramReply parse_datagram_reply(std::string_view text);

}  // namespace tlshop::api
