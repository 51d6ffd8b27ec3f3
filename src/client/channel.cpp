#include "client/channel.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <optional>

namespace tlshop::client {
namespace asio = boost::asio;

Channel::Channel(const asio::any_io_executor& executor, ConnectionSettings settings)
    : executor_(executor), strand_(asio::make_strand(executor)), settings_(std::move(settings)) {}

void Channel::set_token(std::string token) {
  std::lock_guard lock(token_mutex_);
  token_ = std::move(token);
}

std::string Channel::token() const {
  std::lock_guard lock(token_mutex_);
  return token_;
}

ClientError Channel::cancelled() {
  return ClientError(ClientErrorKind::kCancelled, "the call was cancelled: the client was closed");
}

void Channel::enqueue(Request request, Connection::Done done) {
  asio::dispatch(strand_, [self = shared_from_this(), request = std::move(request),
                           done = std::move(done)]() mutable {
    self->waiting_.push_back({std::move(request), std::move(done)});
    if (self->draining_) return;
    self->draining_ = true;
    asio::co_spawn(self->strand_, drain(self), asio::detached);
  });
}

void Channel::close() {
  asio::dispatch(strand_, [self = shared_from_this()] {
    self->closed_ = true;
    self->abort();
  });
}

// Answers the waiting requests in order; runs on the strand, one drain at a time.
asio::awaitable<void> Channel::drain(std::shared_ptr<Channel> self) {
  while (!self->waiting_.empty()) {
    Waiting next = std::move(self->waiting_.front());
    self->waiting_.pop_front();
    std::optional<Result<Response>> result;
    try {
      if (self->closed_) throw cancelled();
      result.emplace(co_await self->send(next.request));
    } catch (const ClientError& error) {
      result.emplace(self->closed_ ? cancelled() : error);
    } catch (const std::exception& error) {
      result.emplace(ClientError(ClientErrorKind::kProtocol, error.what()));
    }
    std::move(next.done)(std::move(*result));
  }
  self->draining_ = false;
}

}  // namespace tlshop::client
