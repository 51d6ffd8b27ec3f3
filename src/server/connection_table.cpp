#include "server/connection_table.hpp"

#include <algorithm>
#include <vector>

namespace tlshop::server {

ConnectionTable::ConnectionTable(ConnectionLimits limits, Metrics& metrics)
    : limits_(limits), metrics_(metrics) {}

ConnectionTable::Source ConnectionTable::source_of(const boost::asio::ip::address& address) {
  Source source{};
  if (address.is_v4() || address.to_v6().is_v4_mapped()) {
    namespace ip = boost::asio::ip;
    auto bytes = address.is_v4() ? address.to_v4().to_bytes()
                                 : ip::make_address_v4(ip::v4_mapped, address.to_v6()).to_bytes();
    source[0] = 4;
    std::copy(bytes.begin(), bytes.end(), source.begin() + 1);
  } else {
    // One IPv6 host is usually given a whole /64: count the prefix, not the address.
    auto bytes = address.to_v6().to_bytes();
    source[0] = 6;
    std::copy(bytes.begin(), bytes.begin() + 8, source.begin() + 1);
  }
  return source;
}

bool ConnectionTable::source_has_room(const boost::asio::ip::address& address) {
  Source source = source_of(address);
  std::lock_guard lock(mutex_);
  auto found = handshakes_by_source_.find(source);
  if (found == handshakes_by_source_.end() || found->second < limits_.max_handshakes_per_source) {
    return true;
  }
  metrics_.connection_rejected(Rejection::kSourceHandshakes);
  return false;
}

bool ConnectionTable::open(const void* id, const boost::asio::ip::address& address, Notify notify) {
  Source source = source_of(address);
  std::lock_guard lock(mutex_);
  std::size_t& from_source = handshakes_by_source_[source];
  if (from_source >= limits_.max_handshakes_per_source) {
    metrics_.connection_rejected(Rejection::kSourceHandshakes);
    return false;
  }
  if (silent_.size() + handshakes_.size() >= limits_.max_handshakes) {
    // The silent go first: a client that means it sends its ClientHello at once.
    if (!evict_oldest(silent_) && silent_.empty()) evict_oldest(handshakes_);
  }
  ++from_source;
  Entry& entry = entries_[id];
  entry.source = source;
  entry.notify = std::move(notify);
  entry.place = silent_.insert(silent_.end(), id);
  metrics_.phase_entered(ConnectionPhase::kHandshake);
  return true;
}

void ConnectionTable::handshake_started(const void* id) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(id);
  if (found == entries_.end() || !found->second.silent) return;
  Entry& entry = found->second;
  silent_.erase(entry.place);
  entry.silent = false;
  entry.place = handshakes_.insert(handshakes_.end(), id);
}

bool ConnectionTable::authenticated(const void* id, const ClientKey& client) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(id);
  if (found == entries_.end()) return false;
  std::size_t& from_client = connections_by_client_[client];
  // A client at its share gives up its own longest-idle connection, never another's.
  if (from_client >= limits_.max_connections_per_client && !evict_oldest(idle_, &client)) {
    if (from_client == 0) connections_by_client_.erase(client);
    metrics_.connection_rejected(Rejection::kClientConnections);
    return false;
  }
  if (authenticated_ >= limits_.max_connections && !evict_oldest(idle_)) {
    if (from_client == 0) connections_by_client_.erase(client);
    metrics_.connection_rejected(Rejection::kServerFull);
    return false;
  }
  ++from_client;
  ++authenticated_;
  found->second.client = client;
  enter_phase(id, found->second, ConnectionPhase::kActive);
  return true;
}

void ConnectionTable::enter(const void* id, ConnectionPhase phase) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(id);
  if (found == entries_.end() || found->second.phase == phase) return;
  enter_phase(id, found->second, phase);
}

void ConnectionTable::close(const void* id) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(id);
  if (found == entries_.end()) return;
  Entry& entry = found->second;
  if (entry.phase != ConnectionPhase::kHandshake) {
    --authenticated_;
    auto client = connections_by_client_.find(entry.client);
    if (client != connections_by_client_.end() && --client->second == 0) {
      connections_by_client_.erase(client);
    }
  }
  leave_phase(entry);
  entries_.erase(found);
}

bool ConnectionTable::under_pressure() {
  std::lock_guard lock(mutex_);
  return (silent_.size() + handshakes_.size()) * 2 > limits_.max_handshakes;
}

std::size_t ConnectionTable::open_connections() {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void ConnectionTable::notify_all(Notice notice) {
  std::vector<Notify> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : entries_) {
      if (notice != Notice::kRecheck || entry.phase != ConnectionPhase::kHandshake) {
        targets.push_back(entry.notify);
      }
    }
  }
  for (const Notify& notify : targets) notify(notice);
}

bool ConnectionTable::evict_oldest(Order& order, const ClientKey* only_client) {
  for (const void* id : order) {
    Entry& entry = entries_.at(id);
    if (entry.evicting || (only_client != nullptr && entry.client != *only_client)) continue;
    entry.evicting = true;
    entry.notify(Notice::kEvict);
    metrics_.connection_evicted(entry.phase);
    return true;
  }
  return false;
}

void ConnectionTable::leave_phase(Entry& entry) {
  metrics_.phase_left(entry.phase);
  if (entry.phase == ConnectionPhase::kHandshake) {
    (entry.silent ? silent_ : handshakes_).erase(entry.place);
    entry.silent = false;
    auto source = handshakes_by_source_.find(entry.source);
    if (--source->second == 0) handshakes_by_source_.erase(source);
  } else if (entry.phase == ConnectionPhase::kIdle) {
    idle_.erase(entry.place);
  }
}

void ConnectionTable::enter_phase(const void* id, Entry& entry, ConnectionPhase phase) {
  leave_phase(entry);
  entry.phase = phase;
  // A connection that has moved on may have declined an eviction: it can be asked again.
  entry.evicting = false;
  if (phase == ConnectionPhase::kIdle) entry.place = idle_.insert(idle_.end(), id);
  metrics_.phase_entered(phase);
}

}  // namespace tlshop::server
