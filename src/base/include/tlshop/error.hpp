#pragma once

#include <stdexcept>
#include <string>

namespace tlshop {

// An error meant for the person running tlshop: its message is one readable line
// that names the problem and, where there is one, the file involved.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws Error("<what>: <strerror(errno)>").
[[noreturn]] void throw_system_error(const std::string& what, int error_number);

}  // namespace tlshop
