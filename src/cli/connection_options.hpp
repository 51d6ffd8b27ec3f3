#pragma once

#include <string>
#include <vector>

#include "cli/command_group.hpp"
#include "tlshop/connection_settings.hpp"

namespace tlshop::cli {

// Connection settings from flags, which CLI11 also fills from TLSHOP_* variables; the
// client configuration file supplies whatever neither gave.
struct ConnectionOptions {
  std::string server, ca, cert, key, config;
  std::vector<std::string> pins;
  unsigned timeout_seconds = 0;
  bool json = false;
  bool udp = false;  // or TLSHOP_TRANSPORT=udp

  client::ConnectionSettings settings() const;
};

void add_connection_options(CLI::App& command, ConnectionOptions& options);

}  // namespace tlshop::cli
