#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace tlshop::cli {

// The program's commands and options as --help shows them, for the manual pages and
// shell completions made from the same definitions so that they cannot drift.

// The subcommands --help lists (hidden ones have no group).
std::vector<const CLI::App*> listed_subcommands(const CLI::App& command);
// The named options --help lists, without positional arguments.
std::vector<const CLI::Option*> listed_options(const CLI::App& command);
// "tlshop ca issue".
std::string command_path(const CLI::App& command);
// "--dir" or "-h,--help".
std::string option_names(const CLI::Option& option);
// Whether the option is followed by a value (not a flag).
bool takes_value(const CLI::Option& option);

}  // namespace tlshop::cli
