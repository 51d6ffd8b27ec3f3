#pragma once

#include "cli/command_group.hpp"

namespace tlshop::cli {

// Adds `tlshop ca renew`: a new certificate, and key, for one the CA issued.
void add_renew(CLI::App& ca, Action& action);

}  // namespace tlshop::cli
