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

// An append-only log of JSON objects, one per line, each stamped with "time". Lines
// from many threads never interleave. The file is created owner-only.
class JsonLinesLog {
 public:
  explicit JsonLinesLog(const std::filesystem::path& path);
  JsonLinesLog(const JsonLinesLog&) = delete;
  JsonLinesLog& operator=(const JsonLinesLog&) = delete;
  ~JsonLinesLog();

  void write(boost::json::object entry);
  void write(const JsonMembers& members);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
  int fd_;
};

// "2026-11-22T01:47:40.123Z"
std::string timestamp_now();

}  // namespace tlshop::server
