#pragma once

#include <string>

namespace tlshop::cli {

// Reads a line from the terminal without echoing it (for passwords); from stdin as it
// is when stdin is not a terminal. Throws tlshop::Error at end of input.
std::string read_secret(const std::string& prompt);

// Reads a line; throws tlshop::Error at end of input.
std::string read_line(const std::string& prompt);

// A random password of 20 characters from an unambiguous alphabet.
std::string generate_password();

}  // namespace tlshop::cli
