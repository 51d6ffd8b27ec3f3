#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "shop/store.hpp"
#include "tlshop/api/messages.hpp"

namespace tlshop::server {

class JsonLinesLog;

struct MessageSettings {
  shop::MessageQuota quota;
  std::chrono::hours retention{24 * 30};
  std::size_t max_page_bytes = std::size_t{4} << 20;  // bodies per GET /v1/messages
};

// Messages clients send with POST /v1/messages, kept in the shop's store (durable when
// append returns) under the public key of the certificate that sent them, within the
// quotas, and deleted once older than the retention period.
class MessageStore {
 public:
  MessageStore(shop::Store& store, MessageSettings settings);

  // Moves DATA_DIR/messages.jsonl, where an older tlshop kept messages, into the store
  // (within the quotas) and renames it messages.jsonl.imported. Those messages were
  // filed by subject name, which proves nothing, so they are kept but listed to nobody.
  void import_legacy_file(const std::filesystem::path& data_dir, JsonLinesLog& audit);

  shop::MessageOutcome append(const std::string& owner, const std::string& content_type,
                              const std::string& body);
  // The owner's messages with an id above since, oldest first: at most limit of them,
  // and at most max_page_bytes of bodies (at least one message if there is one).
  std::vector<api::StoredMessage> list(const std::string& owner, std::uint64_t since,
                                       std::size_t limit);

 private:
  void delete_expired();

  shop::Store& store_;
  MessageSettings settings_;
  std::atomic<std::int64_t> last_expiry_{0};
};

}  // namespace tlshop::server
