#pragma once

#include "cli/command_group.hpp"

namespace tlshop::cli {

// Adds `tlshop bench`: the load generator.
void add_bench_command(CLI::App& app, Action& action);

}  // namespace tlshop::cli
