#include "server/json_lines_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "base/error.hpp"

namespace tlshop::server {

std::string timestamp_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  struct tm parts {};
  gmtime_r(&seconds, &parts);
  char text[40];
  std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(millis.count()));
  return text;
}

JsonLinesLog::JsonLinesLog(const std::filesystem::path& path)
    : path_(path), fd_(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) {
  if (fd_ < 0) throw_system_error("cannot open log " + path.string(), errno);
}

JsonLinesLog::~JsonLinesLog() { ::close(fd_); }

void JsonLinesLog::write(boost::json::object entry) {
  boost::json::object line{{"time", timestamp_now()}};
  for (auto& field : entry) line.emplace(field.key(), std::move(field.value()));
  std::string text = boost::json::serialize(line) + "\n";
  std::lock_guard lock(mutex_);
  // One write() per line with O_APPEND: lines stay whole even if two processes share a file.
  [[maybe_unused]] ssize_t written = ::write(fd_, text.data(), text.size());
}

}  // namespace tlshop::server
