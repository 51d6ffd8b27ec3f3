#pragma once

#include "cli/command_group.hpp"

namespace tlshop::cli {

// Adds the shop's client commands: login, logout, categories, items, buy, receipt,
// receipts, and `tlshop shop`, the interactive menu.
void add_shop_commands(CLI::App& app, Action& action);

}  // namespace tlshop::cli
