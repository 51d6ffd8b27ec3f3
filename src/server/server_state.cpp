#include "server/server_state.hpp"

#include "base/files.hpp"

namespace tlshop::server {
namespace {

const ServerConfig& with_data_dir(const ServerConfig& config) {
  create_directories(config.data_dir, 0700);
  return config;
}

}  // namespace

ServerState::ServerState(ServerConfig server_config)
    : config(std::move(server_config)),
      tls(config.tls),
      audit(with_data_dir(config).effective_audit_log()),
      access(config.effective_access_log()),
      messages(config.data_dir),
      handler(messages, metrics, audit) {}

}  // namespace tlshop::server
