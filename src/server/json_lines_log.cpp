#include "server/json_lines_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "tlshop/error.hpp"

namespace tlshop::server {

namespace {

// "2026-11-22T01:47:40.123Z": strftime runs once a second per thread, not once a line.
void append_timestamp(std::string& out) {
  thread_local std::time_t formatted_second = -1;
  thread_local char second_text[24] = {};
  thread_local std::size_t second_length = 0;
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  if (seconds != formatted_second) {
    struct tm parts {};
    gmtime_r(&seconds, &parts);
    second_length = std::strftime(second_text, sizeof second_text, "%Y-%m-%dT%H:%M:%S", &parts);
    formatted_second = seconds;
  }
  out.append(second_text, second_length);
  const char fraction[] = {'.', static_cast<char>('0' + millis / 100),
                           static_cast<char>('0' + millis / 10 % 10),
                           static_cast<char>('0' + millis % 10), 'Z'};
  out.append(fraction, sizeof fraction);
}

// Characters JSON requires escaped.
constexpr auto needs_escape = [](char c) {
  return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
};

// One journal entry: the JSON line as its message, with fields to select it by.
void send_to_journal(std::string_view line, std::string_view log_name, std::string_view event) {
  if (line.ends_with('\n')) line.remove_suffix(1);
  std::string fields[] = {"MESSAGE=" + std::string(line), "PRIORITY=6", "SYSLOG_IDENTIFIER=tlshop",
                          "TLSHOP_LOG=" + std::string(log_name),
                          "TLSHOP_EVENT=" + std::string(event)};
  iovec entry[std::size(fields)];
  std::size_t count = event.empty() ? std::size(fields) - 1 : std::size(fields);
  for (std::size_t i = 0; i < count; ++i) entry[i] = {fields[i].data(), fields[i].size()};
  // As with a full disk for a file, a journal that cannot take the line loses it.
  (void)sd_journal_sendv(entry, static_cast<int>(count));
}

}  // namespace

std::string timestamp_now() {
  std::string text;
  append_timestamp(text);
  return text;
}

JsonLinesLog::JsonLinesLog(const std::filesystem::path& path, LogRotation rotation)
    : JsonLinesLog(LogTarget{path}, {}, rotation) {}

JsonLinesLog::JsonLinesLog(const LogTarget& target, std::string name, LogRotation rotation)
    : path_(target.file), rotation_(rotation) {
  if (target.journal) {
    journal_name_ = std::move(name);
  } else {
    open_file();
  }
}

JsonLinesLog::~JsonLinesLog() {
  if (fd_ >= 0) ::close(fd_);
}

void JsonLinesLog::open_file() {
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw_system_error("cannot open log " + path_.string(), errno);
  struct stat status {};
  size_ = ::fstat(fd, &status) == 0 ? static_cast<std::uint64_t>(status.st_size) : 0;
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

void JsonLinesLog::reopen() {
  if (!journal_name_.empty()) return;
  std::lock_guard lock(mutex_);
  try {
    open_file();
  } catch (const Error&) {
    // Keep writing where we were rather than lose the lines.
  }
}

void JsonLinesLog::rotate() {
  auto numbered = [this](unsigned n) {
    return std::filesystem::path(path_.string() + "." + std::to_string(n));
  };
  std::error_code ignored;
  std::filesystem::remove(numbered(rotation_.keep), ignored);
  for (unsigned n = rotation_.keep; n > 1; --n) {
    std::filesystem::rename(numbered(n - 1), numbered(n), ignored);
  }
  std::filesystem::rename(path_, numbered(1), ignored);
  try {
    open_file();
  } catch (const Error&) {
  }
}

void JsonLinesLog::append(std::string_view line, std::string_view event) {
  if (!journal_name_.empty()) {
    send_to_journal(line, journal_name_, event);
    return;
  }
  std::lock_guard lock(mutex_);
  if (rotation_.max_bytes != 0 && size_ + line.size() > rotation_.max_bytes && size_ > 0) {
    rotate();
  }
  // One write() per line with O_APPEND: lines stay whole even if two processes share a file.
  ssize_t written = ::write(fd_, line.data(), line.size());
  if (written > 0) size_ += static_cast<std::uint64_t>(written);
}

JsonMembers& JsonMembers::text(std::string_view key, std::string_view value) {
  this->key(key);
  quoted(value);
  return *this;
}

JsonMembers& JsonMembers::number(std::string_view key, std::uint64_t value) {
  this->key(key);
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
  text_.append(digits, end);
  return *this;
}

JsonMembers& JsonMembers::decimal(std::string_view key, double value) {
  this->key(key);
  char digits[48];
  auto [end, error] =
      std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed, 3);
  if (error != std::errc()) {
    text_ += "null";
  } else {
    text_.append(digits, end);
  }
  return *this;
}

void JsonMembers::key(std::string_view key) {
  if (text_.empty()) {
    text_.reserve(256);
  } else {
    text_ += ',';
  }
  quoted(key);
  text_ += ':';
}

void JsonMembers::quoted(std::string_view value) {
  text_ += '"';
  while (!value.empty()) {
    auto special = std::find_if(value.begin(), value.end(), needs_escape);
    text_.append(value.begin(), special);
    if (special == value.end()) break;
    if (*special == '"' || *special == '\\') {
      text_ += '\\';
      text_ += *special;
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(*special));
      text_ += escape;
    }
    value.remove_prefix(static_cast<std::size_t>(special - value.begin()) + 1);
  }
  text_ += '"';
}

void JsonLinesLog::write(const JsonMembers& members) {
  std::string line;
  line.reserve(members.str().size() + 48);
  line += "{\"time\":\"";
  append_timestamp(line);
  line += '"';
  if (!members.str().empty()) {
    line += ',';
    line += members.str();
  }
  line += "}\n";
  append(line);
}

void JsonLinesLog::write(boost::json::object entry) {
  boost::json::object line{{"time", timestamp_now()}};
  for (auto& field : entry) line.emplace(field.key(), std::move(field.value()));
  const boost::json::string* event =
      line.if_contains("event") != nullptr ? line.at("event").if_string() : nullptr;
  append(boost::json::serialize(line) + "\n", event != nullptr ? std::string_view(*event) : "");
}

}  // namespace tlshop::server
