#include "api/error_body.hpp"

#include <boost/json.hpp>

namespace tlshop::api {
namespace json = boost::json;

std::string error_json(std::string_view code, std::string_view message) {
  return json::serialize(
      json::object{{"error", json::object{{"code", code}, {"message", message}}}});
}

std::optional<ErrorBody> parse_error_json(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const json::value* error = value.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return std::nullopt;
  const json::value* code = error->as_object().if_contains("code");
  const json::value* message = error->as_object().if_contains("message");
  if (code == nullptr || !code->is_string() || message == nullptr || !message->is_string()) {
    return std::nullopt;
  }
  return ErrorBody{std::string(code->as_string()), std::string(message->as_string())};
}

}  // namespace tlshop::api
