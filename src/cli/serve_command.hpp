#pragma once

#include "cli/command_group.hpp"

namespace tlshop::cli {

// Adds `tlshop serve`: the HTTPS server.
void add_serve_command(CLI::App& app, Action& action);

}  // namespace tlshop::cli
