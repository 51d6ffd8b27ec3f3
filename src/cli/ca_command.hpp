#pragma once

#include "cli/command_group.hpp"

namespace tlshop::cli {

// Adds `tlshop ca <verb>`: the certificate authority.
void add_ca_command(CLI::App& app, Action& action);

}  // namespace tlshop::cli
