#include "server/message_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>

#include "base/error.hpp"
#include "base/files.hpp"
#include "server/json_lines_log.hpp"

namespace tlshop::server {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxStoreBytes = std::size_t{1} << 30;

}  // namespace

MessageStore::MessageStore(const std::filesystem::path& data_dir) {
  std::filesystem::path path = data_dir / "messages.jsonl";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw_system_error("cannot open " + path.string(), errno);
  recover(path);
  sync_directory(data_dir);
}

MessageStore::~MessageStore() { ::close(fd_); }

void MessageStore::recover(const std::filesystem::path& path) {
  std::string content = read_file(path, kMaxStoreBytes);
  std::size_t good_end = 0;
  for (std::size_t start = 0; start < content.size();) {
    std::size_t end = content.find('\n', start);
    if (end == std::string::npos) break;  // a torn last line
    boost::system::error_code ec;
    json::value value = json::parse(std::string_view(content).substr(start, end - start), ec);
    if (ec || !value.is_object()) break;
    const json::object& object = value.as_object();
    Record record;
    record.sender = json::value_to<std::string>(object.at("sender"));
    record.message.id = object.at("id").to_number<std::uint64_t>();
    record.message.received_at = json::value_to<std::string>(object.at("received_at"));
    record.message.content_type = json::value_to<std::string>(object.at("content_type"));
    record.message.body = json::value_to<std::string>(object.at("body"));
    next_id_ = record.message.id + 1;
    records_.push_back(std::move(record));
    good_end = end + 1;
    start = good_end;
  }
  if (good_end != content.size() &&
      (::ftruncate(fd_, static_cast<off_t>(good_end)) != 0 || ::fsync(fd_) != 0)) {
    throw_system_error("cannot repair " + path.string(), errno);
  }
  if (::lseek(fd_, 0, SEEK_END) < 0) throw_system_error("cannot open " + path.string(), errno);
}

api::MessageReceipt MessageStore::append(const std::string& sender, const std::string& content_type,
                                         const std::string& body) {
  std::lock_guard lock(mutex_);
  Record record{sender, {next_id_, timestamp_now(), content_type, body}};
  std::string line = json::serialize(json::object{{"id", record.message.id},
                                                  {"received_at", record.message.received_at},
                                                  {"sender", sender},
                                                  {"content_type", content_type},
                                                  {"body", body}}) +
                     "\n";
  off_t end = ::lseek(fd_, 0, SEEK_END);
  std::string_view rest = line;
  int error_number = 0;
  while (!rest.empty() && error_number == 0) {
    ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno != EINTR) error_number = errno;
    if (n > 0) rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (error_number == 0 && ::fdatasync(fd_) != 0) error_number = errno;
  if (error_number != 0) {
    // Cut off a partial line so that the next message starts on a line of its own.
    [[maybe_unused]] int ignored = ::ftruncate(fd_, end);
    throw_system_error("cannot store a message", error_number);
  }
  ++next_id_;
  records_.push_back(record);
  return {record.message.id, record.message.received_at};
}

std::vector<api::StoredMessage> MessageStore::list(const std::string& sender, std::uint64_t since,
                                                   std::size_t limit) const {
  std::lock_guard lock(mutex_);
  std::vector<api::StoredMessage> result;
  for (const Record& record : records_) {
    if (result.size() >= limit) break;
    if (record.sender == sender && record.message.id > since) result.push_back(record.message);
  }
  return result;
}

std::size_t MessageStore::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

}  // namespace tlshop::server
