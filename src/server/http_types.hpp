#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace tlshop::server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// A response with the API's JSON error body: {"error": {"code": ..., "message": ...}}.
Response error_response(boost::beast::http::status status, std::string_view code,
                        std::string_view message);
// 405 with the API's error body and an Allow header listing the accepted methods.
Response method_not_allowed(std::string_view allowed);
// A response with a body and its content type.
Response make_response(boost::beast::http::status status, std::string body,
                       std::string_view content_type = "application/json");

// The bytes of a response as it goes on the wire: status line, fields in order, blank
// line, body. What Beast's serializer writes for a response with a Content-Length,
// built as one string: the serializer walks a buffer per field. A reply to HEAD keeps
// its Content-Length and leaves the body out.
std::string wire_format(const Response& response, bool with_body = true);

}  // namespace tlshop::server
