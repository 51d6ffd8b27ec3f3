#pragma once

#include "cli/command_group.hpp"

namespace tlshop::client {
class ClientError;
}

namespace tlshop::cli {

// Adds the client commands: `tlshop hello`, `tlshop message send|list`.
void add_client_commands(CLI::App& app, Action& action);

// The exit code for a client failure, so scripts can tell them apart (see --help).
int exit_code_for(const client::ClientError& error);

}  // namespace tlshop::cli
