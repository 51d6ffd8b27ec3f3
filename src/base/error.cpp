#include "tlshop/error.hpp"

#include <cstring>

namespace tlshop {

void throw_system_error(const std::string& what, int error_number) {
  throw Error(what + ": " + std::strerror(error_number));
}

}  // namespace tlshop
