#include "store/postgres_pool.hpp"

#include <algorithm>

#include "shop/store.hpp"

namespace tlshop::store {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kLongestBackoff{5000};
// How long a caller waits for a connection another is using.
constexpr std::chrono::seconds kLongestWait{10};

}  // namespace

PostgresPool::PostgresPool(std::string conninfo, std::size_t size)
    : conninfo_(std::move(conninfo)), size_(std::max<std::size_t>(size, 1)) {
  give_back(connect());  // fails now if the database cannot be reached at all
}

PostgresPool::Lease PostgresPool::lease() {
  std::unique_lock lock(mutex_);
  if (!returned_.wait_for(lock, kLongestWait,
                          [this] { return !idle_.empty() || leased_ < size_; })) {
    throw shop::StoreUnavailable("all " + std::to_string(size_) +
                                 " connections to PostgreSQL stayed busy (store_connections)");
  }
  while (!idle_.empty()) {
    std::unique_ptr<PostgresConnection> connection = std::move(idle_.back());
    idle_.pop_back();
    // One the server closed while it sat here is dropped, unused: a statement sent on it
    // might or might not have been carried out.
    if (!connection->still_open()) continue;
    ++leased_;
    return Lease(*this, std::move(connection));
  }
  if (Clock::now() < next_attempt_) {
    throw shop::StoreUnavailable("the database cannot be reached; trying again shortly",
                                 retry_after_locked());
  }
  ++leased_;
  lock.unlock();
  try {
    return Lease(*this, connect());
  } catch (...) {
    lock.lock();
    --leased_;
    returned_.notify_one();
    throw;
  }
}

std::unique_ptr<PostgresConnection> PostgresPool::connect() {
  try {
    auto connection = std::make_unique<PostgresConnection>(conninfo_);
    std::lock_guard lock(mutex_);
    backoff_ = std::chrono::milliseconds(0);
    next_attempt_ = {};
    return connection;
  } catch (const shop::StoreUnavailable& e) {
    std::lock_guard lock(mutex_);
    backoff_ = backoff_.count() == 0 ? kFirstBackoff : std::min(backoff_ * 2, kLongestBackoff);
    next_attempt_ = Clock::now() + backoff_;
    throw shop::StoreUnavailable(e.what(), retry_after_locked());
  }
}

void PostgresPool::give_back(std::unique_ptr<PostgresConnection> connection) {
  std::lock_guard lock(mutex_);
  if (connection && leased_ > 0) --leased_;
  // A broken connection is dropped, and the idle ones with it: they went to the same
  // server, which has most likely gone away or restarted. So is one left in a
  // transaction. Leases make new ones.
  if (connection && connection->broken()) idle_.clear();
  if (connection && connection->idle()) idle_.push_back(std::move(connection));
  returned_.notify_one();
}

std::chrono::seconds PostgresPool::retry_after_locked() const {
  auto wait = std::chrono::ceil<std::chrono::seconds>(next_attempt_ - Clock::now());
  return std::max(wait, std::chrono::seconds(1));
}

}  // namespace tlshop::store
