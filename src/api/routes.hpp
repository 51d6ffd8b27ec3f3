#pragma once

#include <string_view>

// The HTTP API's paths, shared by the server and the client so that they cannot drift.
// docs/protocol.md and docs/openapi.yaml describe each.
namespace tlshop::api::routes {

inline constexpr std::string_view kHello = "/v1/hello";
inline constexpr std::string_view kMessages = "/v1/messages";
inline constexpr std::string_view kHealth = "/healthz";
inline constexpr std::string_view kMetrics = "/metrics";

}  // namespace tlshop::api::routes
