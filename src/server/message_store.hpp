#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "api/messages.hpp"

namespace tlshop::server {

// Messages clients send with POST /v1/messages, kept in DATA_DIR/messages.jsonl. A
// message is on disk (written and fdatasync'd) before append() returns, so an id the
// client has seen survives a crash. A line torn by a crash is cut off at start-up.
class MessageStore {
 public:
  explicit MessageStore(const std::filesystem::path& data_dir);
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;
  ~MessageStore();

  api::MessageReceipt append(const std::string& sender, const std::string& content_type,
                             const std::string& body);
  // The sender's messages with an id above since, oldest first, at most limit.
  std::vector<api::StoredMessage> list(const std::string& sender, std::uint64_t since,
                                       std::size_t limit) const;
  std::size_t size() const;

 private:
  struct Record {
    std::string sender;
    api::StoredMessage message;
  };
  void recover(const std::filesystem::path& path);

  mutable std::mutex mutex_;
  std::vector<Record> records_;
  std::uint64_t next_id_ = 1;
  int fd_ = -1;
};

}  // namespace tlshop::server
