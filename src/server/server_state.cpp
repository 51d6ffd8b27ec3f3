#include "server/server_state.hpp"

#include <openssl/ssl.h>

#include "base/files.hpp"
#include "server/service_manager.hpp"
#include "shop/default_seed_catalog.hpp"
#include "shop/seed_catalog.hpp"

namespace tlshop::server {
namespace {

const ServerConfig& with_data_dir(const ServerConfig& config) {
  create_directories(config.data_dir, 0700);
  require_writable_directory(config.data_dir, "the data directory");
  return config;
}

}  // namespace

ServerState::ServerState(ServerConfig server_config)
    : config(std::move(server_config)),
      tls(config.tls),
      audit(with_data_dir(config).audit_log_target(stderr_is_journal()), "audit",
            config.log_rotation),
      access(config.access_log_target(), "access", config.log_rotation),
      refusals(audit, config.refusal_summary_interval),
      store(store::open_store(config.store_choice())),
      messages(*store, config.messages),
      shop(*store, config.shop_settings()),
      shop_handler(shop, audit),
      handler(messages, metrics, audit, shop_handler, config.metrics_pins),
      connections(config.connections, metrics),
      workers(config.effective_workers()),
      writers(config.writers) {
  shop.seed_if_empty(shop::parse_seed_catalog(shop::default_seed_catalog_csv()));
  metrics.set_tls_sessions_probe([this] { return SSL_CTX_sess_number(tls.current()->native()); });
  messages.import_legacy_file(config.data_dir, audit);
}

}  // namespace tlshop::server
