#pragma once

#include <boost/json/object.hpp>
#include <filesystem>
#include <mutex>

namespace tlshop::server {

// An append-only log of JSON objects, one per line, each stamped with "time". Lines
// from many threads never interleave. The file is created owner-only.
class JsonLinesLog {
 public:
  explicit JsonLinesLog(const std::filesystem::path& path);
  JsonLinesLog(const JsonLinesLog&) = delete;
  JsonLinesLog& operator=(const JsonLinesLog&) = delete;
  ~JsonLinesLog();

  void write(boost::json::object entry);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
  int fd_;
};

// "2026-11-22T01:47:40.123Z"
std::string timestamp_now();

}  // namespace tlshop::server
