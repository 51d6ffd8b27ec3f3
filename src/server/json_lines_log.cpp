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

JsonMembers& JsonMembers::text(std::string_view key, std::string_view value) {
  this->key(key);
  quoted(value);
  return *this;
}

JsonMembers& JsonMembers::number(std::string_view key, std::uint64_t value) {
  this->key(key);
  text_ += std::to_string(value);
  return *this;
}

JsonMembers& JsonMembers::decimal(std::string_view key, double value) {
  this->key(key);
  char digits[32];
  std::snprintf(digits, sizeof digits, "%.3f", value);
  text_ += digits;
  return *this;
}

void JsonMembers::key(std::string_view key) {
  if (!text_.empty()) text_ += ',';
  quoted(key);
  text_ += ':';
}

void JsonMembers::quoted(std::string_view value) {
  text_ += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') {
      text_ += '\\';
      text_ += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
      text_ += escape;
    } else {
      text_ += c;
    }
  }
  text_ += '"';
}

void JsonLinesLog::write(const JsonMembers& members) {
  std::string line = "{\"time\":\"" + timestamp_now() + "\"";
  if (!members.str().empty()) line += "," + members.str();
  line += "}\n";
  std::lock_guard lock(mutex_);
  [[maybe_unused]] ssize_t written = ::write(fd_, line.data(), line.size());
}

void JsonLinesLog::write(boost::json::object entry) {
  boost::json::object line{{"time", timestamp_now()}};
  for (auto& field : entry) line.emplace(field.key(), std::move(field.value()));
  std::string text = boost::json::serialize(line) + "\n";
  std::lock_guard lock(mutex_);
  // One write() per line with O_APPEND: lines stay whole even if two processes share a file.
  [[maybe_unused]] ssize_t written = ::write(fd_, text.data(), text.size());
}

}  // namespace tlshop::server
