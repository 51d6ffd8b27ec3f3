#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/command_group.hpp"

namespace tlshop::cli {

// `tlshop completion bash|zsh` prints a completion script; `tlshop manual --out-dir DIR`
// (not listed: the build runs it) writes the manual pages. Both describe every command
// of `app`, so add them after the others.
void add_documentation_commands(CLI::App& app, Action& action, const std::string& version);

}  // namespace tlshop::cli
