#include "server/http_types.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include "api/error_body.hpp"

namespace tlshop::server {
namespace http = boost::beast::http;

Response make_response(http::status status, std::string body, std::string_view content_type) {
  Response response{status, 11};
  response.set(http::field::server, "tlshop");
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

std::string wire_format(const Response& response, bool with_body) {
  std::string_view reason = response.reason();
  if (reason.empty()) reason = http::obsolete_reason(response.result());
  const std::string& body = response.body();
  std::string wire;
  wire.reserve(256 + body.size());
  wire += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char code[4] = {static_cast<char>('0' + response.result_int() / 100 % 10),
                  static_cast<char>('0' + response.result_int() / 10 % 10),
                  static_cast<char>('0' + response.result_int() % 10), ' '};
  wire.append(code, sizeof code);
  wire += reason;
  wire += "\r\n";
  for (const auto& field : response.base()) {
    wire += field.name_string();
    wire += ": ";
    wire += field.value();
    wire += "\r\n";
  }
  wire += "\r\n";
  if (with_body) wire += body;
  return wire;
}

Response error_response(http::status status, std::string_view code, std::string_view message) {
  return make_response(status, api::error_json(code, message));
}

}  // namespace tlshop::server

namespace tlshop::server {

Response method_not_allowed(std::string_view allowed) {
  Response response = error_response(http::status::method_not_allowed, "method_not_allowed",
                                     "this path accepts " + std::string(allowed));
  response.set(http::field::allow, allowed);
  return response;
}

}  // namespace tlshop::server
