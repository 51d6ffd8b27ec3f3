#include "tlshop/api/messages.hpp"

#include <boost/json.hpp>

#include "api/json_fields.hpp"

namespace tlshop::api {
namespace json = boost::json;

std::string to_json(const MessageReceipt& receipt) {
  return json::serialize(json::object{{"id", receipt.id}, {"received_at", receipt.received_at}});
}

MessageReceipt parse_message_receipt(std::string_view text) {
  JsonReader reader(text, "message receipt");
  return {reader.uint_at(reader.root(), "id"), reader.string_at(reader.root(), "received_at")};
}

std::string to_json(const std::vector<StoredMessage>& messages) {
  json::array list;
  for (const StoredMessage& message : messages) {
    list.push_back(json::object{{"id", message.id},
                                {"received_at", message.received_at},
                                {"content_type", message.content_type},
                                {"body", message.body}});
  }
  return json::serialize(json::object{{"messages", std::move(list)}});
}

std::vector<StoredMessage> parse_message_list(std::string_view text) {
  JsonReader reader(text, "message list");
  std::vector<StoredMessage> messages;
  for (const json::value& entry : reader.array_at(reader.root(), "messages")) {
    if (!entry.is_object()) continue;
    const json::object& object = entry.as_object();
    messages.push_back({reader.uint_at(object, "id"), reader.string_at(object, "received_at"),
                        reader.string_at(object, "content_type"),
                        reader.string_at(object, "body")});
  }
  return messages;
}

}  // namespace tlshop::api
