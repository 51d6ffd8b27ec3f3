#pragma once

#include <string>

#include "tlshop/error.hpp"

namespace tlshop::cli {

// The end of input (Ctrl-D on a terminal, the end of a pipe) where a line was expected.
class EndOfInput : public Error {
 public:
  using Error::Error;
};

// Reads a line from the terminal without echoing it (for passwords); from stdin as it
// is when stdin is not a terminal. Throws EndOfInput at end of input.
std::string read_secret(const std::string& prompt);

// Reads a line; throws EndOfInput at end of input, after which a terminal can be read
// again (Ctrl-D ends one answer, not the input).
std::string read_line(const std::string& prompt);

// A random password of 20 characters from an unambiguous alphabet.
std::string generate_password();

}  // namespace tlshop::cli
