#pragma once

#include <chrono>
#include <string>

#include "tlshop/error.hpp"

namespace tlshop::shop {

// A request the shop refuses, and why, in terms a transport maps to its status codes.
class ShopError : public Error {
 public:
  enum class Kind {
    kInvalid,          // malformed or out-of-range input (400)
    kUnauthenticated,  // no valid session (401)
    kForbidden,        // the user may not do this (403)
    kNotFound,         // no such item, user or receipt (404)
    kConflict,         // not enough stock, name taken, key reused (409)
    kTooManyAttempts,  // locked out for a while (429)
  };

  ShopError(Kind kind, std::string code, const std::string& message,
            std::chrono::seconds retry_after = std::chrono::seconds(0),
            std::chrono::seconds hold_back = std::chrono::seconds(0))
      : Error(message),
        kind_(kind),
        code_(std::move(code)),
        retry_after_(retry_after),
        hold_back_(hold_back) {}

  Kind kind() const { return kind_; }
  // A stable machine-readable code: "insufficient_stock", "unknown_item", ...
  const std::string& code() const { return code_; }
  std::chrono::seconds retry_after() const { return retry_after_; }
  // How long to hold the answer back: failed logins are answered slower each time.
  std::chrono::seconds hold_back() const { return hold_back_; }

 private:
  Kind kind_;
  std::string code_;
  std::chrono::seconds retry_after_;
  std::chrono::seconds hold_back_;
};

}  // namespace tlshop::shop
