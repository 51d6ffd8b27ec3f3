#include "server/http_types.hpp"

#include <boost/beast/http/field.hpp>

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
