#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>

#include "server/metrics.hpp"

namespace tlshop::server {

// How many connections a server holds, split so that peers without a certificate
// cannot crowd out those with one.
struct ConnectionLimits {
  std::size_t max_handshakes = 256;             // connections still in the TLS handshake
  std::size_t max_handshakes_per_source = 32;   // of those, from one IPv4 address or IPv6 /64
  std::size_t max_connections = 1024;           // authenticated connections
  std::size_t max_connections_per_client = 64;  // of those, over one client certificate

  bool operator==(const ConnectionLimits&) const = default;
};

// What the table asks of a connection, delivered on the connection's own thread.
enum class Notice {
  kShutdown,  // the server is stopping: close if idle, else after the reply in progress
  kEvict,     // room is needed: close now if still in the handshake or idle
  kRecheck,   // the TLS material was reloaded: is the client certificate still trusted?
};

// Every open connection, its phase and where it comes from, so that the limits hold
// across threads: over a budget the oldest connection in the handshake, or the one idle
// the longest, makes room; a source or client over its share is refused.
class ConnectionTable {
 public:
  using ClientKey = std::array<unsigned char, 32>;  // SHA-256 of the client certificate
  using Notify = std::function<void(Notice)>;       // posts to the connection's thread

  ConnectionTable(ConnectionLimits limits, Metrics& metrics);

  // A cheap look before a connection is set up: false if open() would refuse the source.
  bool source_has_room(const boost::asio::ip::address& source);
  // A connection just accepted, now in its handshake but silent so far. False if its
  // source already holds its share of handshakes (the connection must close); otherwise
  // it is counted, and if the handshakes were at their limit the oldest silent one is
  // told to go, or if none is silent the oldest of all.
  bool open(const void* id, const boost::asio::ip::address& source, Notify notify);
  // The peer has sent its first bytes: a handshake under way, evicted only after every
  // connection that has sent nothing.
  void handshake_started(const void* id);
  // The handshake succeeded. False if the client or the server is at its limit with no
  // idle connection to close; otherwise the connection is counted as active.
  bool authenticated(const void* id, const ClientKey& client);
  void enter(const void* id, ConnectionPhase phase);
  void close(const void* id);

  // More than half the handshake budget in use: handshakes get less time.
  bool under_pressure();
  std::size_t open_connections();
  // kShutdown goes to every connection, kRecheck to every authenticated one.
  void notify_all(Notice notice);

 private:
  using Source = std::array<unsigned char, 9>;
  using Order = std::list<const void*>;

  struct Entry {
    ConnectionPhase phase = ConnectionPhase::kHandshake;
    Source source{};
    ClientKey client{};
    Notify notify;
    Order::iterator place;  // in silent_, handshakes_ or idle_, by age
    bool silent = true;     // in the handshake phase, nothing received yet
    bool evicting = false;
  };

  static Source source_of(const boost::asio::ip::address& address);
  // Tells the oldest connection in `order` that is not already going to close. Needs mutex_.
  bool evict_oldest(Order& order, const ClientKey* only_client = nullptr);
  void leave_phase(Entry& entry);
  void enter_phase(const void* id, Entry& entry, ConnectionPhase phase);

  const ConnectionLimits limits_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::unordered_map<const void*, Entry> entries_;
  Order silent_;      // accepted, nothing received yet; oldest first
  Order handshakes_;  // handshakes under way, oldest first
  Order idle_;        // idle the longest first
  std::size_t authenticated_ = 0;
  std::map<Source, std::size_t> handshakes_by_source_;
  std::map<ClientKey, std::size_t> connections_by_client_;
};

}  // namespace tlshop::server
