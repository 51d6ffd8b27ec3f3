#include "server/message_store.hpp"

#include <boost/json.hpp>
#include <ctime>
#include <fstream>

#include "pki/x509_fields.hpp"
#include "server/json_lines_log.hpp"

namespace tlshop::server {
namespace json = boost::json;
namespace {

constexpr std::int64_t kExpiryInterval = 60;  // seconds between deletions of old messages
constexpr std::size_t kImportBatch = 1000;
constexpr std::string_view kLegacyOwnerPrefix = "subject:";

// One line of an older tlshop's messages.jsonl, or nullopt if it is not one.
std::optional<std::pair<std::string, shop::Message>> parse_legacy_line(const std::string& line) {
  boost::system::error_code ec;
  json::value value = json::parse(line, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const json::object& object = value.as_object();
  const json::value* id = object.if_contains("id");
  const json::value* sender = object.if_contains("sender");
  const json::value* received_at = object.if_contains("received_at");
  const json::value* content_type = object.if_contains("content_type");
  const json::value* body = object.if_contains("body");
  if (id == nullptr || !id->is_int64() || id->as_int64() <= 0 || sender == nullptr ||
      !sender->is_string() || received_at == nullptr || !received_at->is_string() ||
      content_type == nullptr || !content_type->is_string() || body == nullptr ||
      !body->is_string()) {
    return std::nullopt;
  }
  return std::make_pair(
      std::string(kLegacyOwnerPrefix) + std::string(sender->as_string()),
      shop::Message{id->as_int64(), std::string(received_at->as_string()),
                    std::string(content_type->as_string()), std::string(body->as_string())});
}

}  // namespace

MessageStore::MessageStore(shop::Store& store, MessageSettings settings)
    : store_(store), settings_(settings) {
  delete_expired();
}

void MessageStore::import_legacy_file(const std::filesystem::path& data_dir, JsonLinesLog& audit) {
  std::filesystem::path path = data_dir / "messages.jsonl";
  std::ifstream in(path);
  if (!in) return;
  std::vector<std::pair<std::string, shop::Message>> batch;
  std::size_t read = 0, stored = 0;
  std::string line;
  // Line by line, so that a file of any size is never all in memory.
  while (std::getline(in, line)) {
    if (auto message = parse_legacy_line(line)) {
      ++read;
      batch.push_back(std::move(*message));
    }
    if (batch.size() == kImportBatch) {
      stored += store_.import_messages(batch, settings_.quota);
      batch.clear();
    }
  }
  stored += store_.import_messages(batch, settings_.quota);
  std::filesystem::rename(path, data_dir / "messages.jsonl.imported");
  audit.write({{"event", "messages_imported"},
               {"file", path.string()},
               {"read", read},
               {"stored", stored},
               {"dropped", read - stored}});
}

shop::MessageOutcome MessageStore::append(const std::string& owner, const std::string& content_type,
                                          const std::string& body) {
  delete_expired();
  return store_.append_message(owner, {0, timestamp_now(), content_type, body}, settings_.quota);
}

std::vector<api::StoredMessage> MessageStore::list(const std::string& owner, std::uint64_t since,
                                                   std::size_t limit) {
  std::vector<api::StoredMessage> page;
  for (shop::Message& message :
       store_.messages(owner, static_cast<std::int64_t>(since), limit, settings_.max_page_bytes)) {
    page.push_back({static_cast<std::uint64_t>(message.id), std::move(message.received_at),
                    std::move(message.content_type), std::move(message.body)});
  }
  return page;
}

void MessageStore::delete_expired() {
  std::int64_t now = std::time(nullptr);
  std::int64_t last = last_expiry_.load();
  if (now - last < kExpiryInterval || !last_expiry_.compare_exchange_strong(last, now)) return;
  auto retention = std::chrono::duration_cast<std::chrono::seconds>(settings_.retention).count();
  store_.delete_messages_before(pki::format_time(now - retention));
}

}  // namespace tlshop::server
