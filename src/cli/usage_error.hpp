#pragma once

#include "tlshop/error.hpp"

namespace tlshop::cli {

// A mistake on the command line found after parsing: a missing choice, a value out of
// range, a command that is not there. It exits 2, as the parser's own errors do.
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace tlshop::cli
