#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tlshop::server {

// Splits a request target into its path and query ("/v1/messages?since=3").
std::pair<std::string_view, std::string_view> split_target(std::string_view target);

// The percent-decoded value of the first `name=` parameter in a query, if present.
std::optional<std::string> query_parameter(std::string_view query, std::string_view name);

// Digits only, no sign, no overflow.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);

}  // namespace tlshop::server
