#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace tlshop::server {

class JsonLinesLog;

// Keeps a peer from choosing how many lines the audit log gets: of the refusals with
// the same reason from the same address, the first in each interval is written in full
// and the rest only counted, then written as one "repeated" line with the count.
// Sources tracked at once are bounded; beyond, refusals are counted under "(others)".
class RepeatSummary {
 public:
  using Clock = std::chrono::steady_clock;

  RepeatSummary(JsonLinesLog& log, std::chrono::seconds interval, std::size_t max_sources = 4096);

  // entry is the full line to write for the first refusal of its kind in the interval.
  void write(const std::string& source, const std::string& reason, boost::json::object entry);
  // Writes the counts of the intervals that have ended (all of them if `all`).
  void flush(bool all = false);

 private:
  struct Count {
    Clock::time_point since;
    std::uint64_t repeated = 0;
  };
  using Key = std::pair<std::string, std::string>;  // source, reason

  void write_summary(const Key& key, const Count& count);  // needs mutex_

  JsonLinesLog& log_;
  std::chrono::seconds interval_;
  std::size_t max_sources_;
  std::mutex mutex_;
  std::map<Key, Count> counts_;
};

}  // namespace tlshop::server
