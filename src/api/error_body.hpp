#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tlshop::api {

// Every error the API returns has this JSON body:
//   {"error": {"code": "payload_too_large", "message": "the body is larger than 65536 bytes"}}
struct ErrorBody {
  std::string code;
  std::string message;
};

std::string error_json(std::string_view code, std::string_view message);

// Reads an error body; nullopt if the text is not one.
std::optional<ErrorBody> parse_error_json(std::string_view text);

}  // namespace tlshop::api
