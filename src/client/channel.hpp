#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "client/connection.hpp"

namespace tlshop::client {

// What the TCP and the UDP transport share: requests queued and answered one at a time,
// in the order given, on a strand; the session token; closing, which completes what is
// left with kCancelled. A transport says how one request is sent and answered.
class Channel : public std::enable_shared_from_this<Channel> {
 public:
  Channel(const boost::asio::any_io_executor& executor, ConnectionSettings settings);
  virtual ~Channel() = default;

  const boost::asio::any_io_executor& executor() const { return executor_; }
  const ConnectionSettings& settings() const { return settings_; }
  void set_token(std::string token);
  std::string token() const;

  void enqueue(Request request, Connection::Done done);
  void close();
  // Requests sent again because no answer came (UDP) or the connection broke (TCP).
  std::uint64_t retries() const { return retries_.load(std::memory_order_relaxed); }

 protected:
  // Answers one request, on the strand; throws ClientError.
  virtual boost::asio::awaitable<Response> send(const Request& request) = 0;
  // Ends the operation in flight (closes the socket), on the strand.
  virtual void abort() = 0;

  bool closed() const { return closed_; }
  void count_retry() { retries_.fetch_add(1, std::memory_order_relaxed); }
  const boost::asio::strand<boost::asio::any_io_executor>& strand() const { return strand_; }
  static ClientError cancelled();

 private:
  struct Waiting {
    Request request;
    Connection::Done done;
  };
  static boost::asio::awaitable<void> drain(std::shared_ptr<Channel> self);

  boost::asio::any_io_executor executor_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  ConnectionSettings settings_;
  mutable std::mutex token_mutex_;
  std::string token_;
  std::atomic<std::uint64_t> retries_{0};
  // The rest belongs to the strand.
  std::deque<Waiting> waiting_;
  bool draining_ = false;
  bool closed_ = false;
};

}  // namespace tlshop::client
