#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

namespace tlshop::server {

// The members of one JSON object, written straight into text: the access log writes
// one per request, and building a boost::json::object for it cost a sixth of a
// kept-alive request.
class JsonMembers {
 public:
  JsonMembers& text(std::string_view key, std::string_view value);
  JsonMembers& number(std::string_view key, std::uint64_t value);
  JsonMembers& decimal(std::string_view key, double value);
  const std::string& str() const { return text_; }

 private:
  void key(std::string_view key);
  void quoted(std::string_view value);

  std::string text_;
};

// How much disk a log may take: past max_bytes the file is renamed PATH.1 (PATH.1 to
// PATH.2, and so on, the oldest of `keep` dropped) and a new one begun. max_bytes 0:
// never rotated here (logrotate, with reopen() on SIGUSR1).
struct LogRotation {
  std::uint64_t max_bytes = std::uint64_t{64} << 20;
  unsigned keep = 4;

  bool operator==(const LogRotation&) const = default;
};

// Where a log's lines go: a file, or the systemd journal, where each line is one entry
// (MESSAGE the JSON line, TLSHOP_LOG the log's name, TLSHOP_EVENT the event if any).
struct LogTarget {
  std::filesystem::path file;
  bool journal = false;

  static LogTarget to_journal() { return {{}, true}; }
  bool operator==(const LogTarget&) const = default;
};

// An append-only log of JSON objects, one per line, each stamped with "time". Lines
// from many threads never interleave. The file is created owner-only.
class JsonLinesLog {
 public:
  explicit JsonLinesLog(const std::filesystem::path& path, LogRotation rotation = {});
  // `name` ("audit", "access") tells the log's entries apart in the journal.
  JsonLinesLog(const LogTarget& target, std::string name, LogRotation rotation);
  JsonLinesLog(const JsonLinesLog&) = delete;
  JsonLinesLog& operator=(const JsonLinesLog&) = delete;
  ~JsonLinesLog();

  void write(boost::json::object entry);
  void write(const JsonMembers& members);
  const std::filesystem::path& path() const { return path_; }  // empty: the journal
  // Opens the path afresh: after logrotate has moved the file away.
  void reopen();

 private:
  void append(std::string_view line, std::string_view event = {});
  void open_file();  // needs mutex_ but for the constructor
  void rotate();     // needs mutex_

  std::filesystem::path path_;
  std::string journal_name_;  // empty: a file
  LogRotation rotation_;
  std::mutex mutex_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// "2026-11-22T01:47:40.123Z"
std::string timestamp_now();

}  // namespace tlshop::server
