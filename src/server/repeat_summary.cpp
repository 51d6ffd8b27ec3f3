#include "server/repeat_summary.hpp"

#include "server/json_lines_log.hpp"

namespace tlshop::server {
namespace {

constexpr const char* kOthers = "(others)";

}  // namespace

RepeatSummary::RepeatSummary(JsonLinesLog& log, std::chrono::seconds interval,
                             std::size_t max_sources)
    : log_(log), interval_(interval), max_sources_(max_sources) {}

void RepeatSummary::write(const std::string& source, const std::string& reason,
                          boost::json::object entry) {
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  Key key{source, reason};
  auto found = counts_.find(key);
  if (found == counts_.end() && counts_.size() >= max_sources_) {
    // Too many sources at once: count the newcomer with the rest, without a line.
    key = {kOthers, reason};
    found = counts_.try_emplace(key, Count{now, 0}).first;
    ++found->second.repeated;
    return;
  }
  if (found != counts_.end() && now - found->second.since < interval_) {
    ++found->second.repeated;
    return;
  }
  if (found != counts_.end()) write_summary(key, found->second);
  counts_[key] = Count{now, 0};
  log_.write(std::move(entry));
}

void RepeatSummary::flush(bool all) {
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  for (auto it = counts_.begin(); it != counts_.end();) {
    if (all || now - it->second.since >= interval_) {
      write_summary(it->first, it->second);
      it = counts_.erase(it);
    } else {
      ++it;
    }
  }
}

void RepeatSummary::write_summary(const Key& key, const Count& count) {
  if (count.repeated == 0) return;
  auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - count.since).count();
  log_.write({{"event", "handshake_refused_repeated"},
              {"remote_address", key.first},
              {"reason", key.second},
              {"count", count.repeated},
              {"seconds", seconds}});
}

}  // namespace tlshop::server
