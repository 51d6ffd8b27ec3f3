#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace tlshop::cli {

// What to tell the user about a command line the parser refused: the parser's own
// words, or, for an option the command does not have, that option, the command, and
// the option it most likely meant.
std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& error);

}  // namespace tlshop::cli
