#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "tlshop/client_error.hpp"

namespace tlshop::client {

// A call's value, or the ClientError that kept it from being: for programs that would
// rather test than catch.
//
//   auto hello = tlshop::client::attempt([&] { return client.hello(); });
//   if (!hello && hello.error_code() == tlshop::client::ClientErrorKind::kTimeout) ...
template <typename T>
class Result {
 public:
  explicit Result(T value) : state_(std::move(value)) {}
  explicit Result(ClientError error) : state_(std::move(error)) {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  // The value; throws the error when there is none.
  T& value() & {
    if (!has_value()) throw std::get<1>(state_);
    return std::get<0>(state_);
  }
  T&& value() && { return std::move(value()); }
  // Only when there is no value.
  const ClientError& error() const { return std::get<1>(state_); }
  // Empty (no error) when there is a value.
  std::error_code error_code() const {
    return has_value() ? std::error_code{} : error().error_code();
  }

 private:
  std::variant<T, ClientError> state_;
};

// Calls `call` and returns what it returned, or the ClientError it threw; a call
// returning nothing gives Result<std::monostate>. Other exceptions pass through.
template <typename Call>
auto attempt(Call&& call) {
  using Returned = std::invoke_result_t<Call>;
  using Value = std::conditional_t<std::is_void_v<Returned>, std::monostate, Returned>;
  try {
    if constexpr (std::is_void_v<Returned>) {
      std::forward<Call>(call)();
      return Result<Value>(std::monostate{});
    } else {
      return Result<Value>(std::forward<Call>(call)());
    }
  } catch (const ClientError& error) {
    return Result<Value>(error);
  }
}

}  // namespace tlshop::client
