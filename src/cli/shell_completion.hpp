#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace tlshop::cli {

// Completion scripts for the program's commands and options, made from the same
// definitions as --help. After an option that takes a value they offer file names.
std::string bash_completion(const CLI::App& root);
std::string zsh_completion(const CLI::App& root);

}  // namespace tlshop::cli
