#pragma once

#include <string>
#include <string_view>

// The HTTP API's paths, shared by the server and the client so that they cannot drift.
// docs/protocol.md and docs/openapi.yaml describe each.
namespace tlshop::api::routes {

inline constexpr std::string_view kHello = "/v1/hello";
inline constexpr std::string_view kMessages = "/v1/messages";
inline constexpr std::string_view kHealth = "/healthz";
inline constexpr std::string_view kMetrics = "/metrics";

inline constexpr std::string_view kSessions = "/v1/sessions";
inline constexpr std::string_view kCurrentSession = "/v1/sessions/current";
inline constexpr std::string_view kCategories = "/v1/categories";
inline constexpr std::string_view kItems = "/v1/items";  // and /v1/items/{sku}
inline constexpr std::string_view kOrders = "/v1/orders";
inline constexpr std::string_view kReceipt = "/v1/receipt";
inline constexpr std::string_view kReceiptClose = "/v1/receipt/close";
inline constexpr std::string_view kReceipts = "/v1/receipts";
inline constexpr std::string_view kAdminUsers = "/v1/admin/users";  // and .../{name}/password
inline constexpr std::string_view kAdminItems = "/v1/admin/items";  // and .../{sku}

inline constexpr std::string_view kIdempotencyKeyHeader = "Idempotency-Key";

// Text as one path segment or query value: everything but RFC 3986's unreserved
// characters percent-escaped ('+' too, which a query would read as a space).
std::string escaped(std::string_view text);

// The route a path belongs to, as metrics and logs name it: one of the paths above, a
// template such as "/v1/items/{sku}", or "other". Never the path itself, so that a
// peer cannot make the names up.
std::string_view label_for(std::string_view path);

}  // namespace tlshop::api::routes
