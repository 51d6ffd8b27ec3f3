#pragma once

#include "cli/command_group.hpp"

namespace tlshop::cli {

// Adds `tlshop admin …`: offline administration of a server's data directory.
void add_admin_command(CLI::App& app, Action& action);

}  // namespace tlshop::cli
