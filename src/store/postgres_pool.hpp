#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres.hpp"

namespace tlshop::store {

// A bounded set of connections to one PostgreSQL database, shared by the server's
// threads. A connection found broken is dropped and made again on demand; while the
// database cannot be reached, attempts are spaced out (100 ms, doubling to 5 s) and
// the calls in between fail at once with StoreUnavailable, so that requests get a
// quick 503 rather than queueing behind a dead server.
class PostgresPool {
 public:
  PostgresPool(std::string conninfo, std::size_t size);
  PostgresPool(const PostgresPool&) = delete;
  PostgresPool& operator=(const PostgresPool&) = delete;

  // A connection for one caller until destroyed.
  class Lease {
   public:
    Lease(PostgresPool& pool, std::unique_ptr<PostgresConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.give_back(std::move(connection_)); }
    PostgresConnection& operator*() const { return *connection_; }
    PostgresConnection* operator->() const { return connection_.get(); }

   private:
    PostgresPool& pool_;
    std::unique_ptr<PostgresConnection> connection_;
  };

  // Waits (10 s at most) for a free connection; throws StoreUnavailable if none comes
  // or none can be made.
  Lease lease();

 private:
  // When the next attempt to reach the database is due, at least a second away.
  std::chrono::seconds retry_after_locked() const;
  void give_back(std::unique_ptr<PostgresConnection> connection);
  std::unique_ptr<PostgresConnection> connect();

  using Clock = std::chrono::steady_clock;
  const std::string conninfo_;
  const std::size_t size_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;
  std::size_t leased_ = 0;
  Clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
};

}  // namespace tlshop::store
