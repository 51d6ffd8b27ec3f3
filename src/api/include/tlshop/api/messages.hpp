#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tlshop::api {

// POST /v1/messages answers 201 with the id and time the server gave the message.
struct MessageReceipt {
  std::uint64_t id = 0;
  std::string received_at;  // ISO 8601, UTC
};

// GET /v1/messages?since=ID lists the caller's own messages with an id above ID.
struct StoredMessage {
  std::uint64_t id = 0;
  std::string received_at;
  std::string content_type;
  std::string body;
};

inline constexpr std::size_t kDefaultMessageListLimit = 100;

std::string to_json(const MessageReceipt& receipt);
MessageReceipt parse_message_receipt(std::string_view text);

std::string to_json(const std::vector<StoredMessage>& messages);
std::vector<StoredMessage> parse_message_list(std::string_view text);

}  // namespace tlshop::api
