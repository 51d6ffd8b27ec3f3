#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/connection_table.hpp"
#include "server/json_lines_log.hpp"
#include "server/listen_address.hpp"
#include "server/message_store.hpp"
#include "shop/shop.hpp"
#include "store/open_store.hpp"
#include "tls/server_context.hpp"

namespace tlshop::server {

// Every setting of `tlshop serve`, with its default. docs/operations.md explains each;
// `tlshop serve --print-default-config` prints them as a TOML file.
struct ServerConfig {
  std::vector<ListenAddress> listen{{"127.0.0.1", 5555}};
  // The shop over UDP (DTLS 1.2). Unset: the same addresses as `listen`; empty: none.
  std::optional<std::vector<ListenAddress>> udp_listen;
  std::size_t udp_max_peers = 1024;  // DTLS sessions open at once, over all UDP sockets
  std::size_t udp_mtu = 1200;        // the largest datagram the server sends
  unsigned threads = 0;              // 0: one per core
  unsigned workers = 0;              // for password hashing; 0: as many as threads
  unsigned writers = 32;             // for requests that wait for the disk
  std::filesystem::path data_dir = "tlshop-data";
  // The shop's data: "" for the SQLite file DATA_DIR/shop.db, or a postgresql:// URL
  // (several servers may share one database). Holds a password, maybe: never logged.
  std::string store;
  std::size_t store_connections = 16;  // PostgreSQL: connections at most
  tls::ServerTlsSettings tls;
  // Parse and use EC keys with OpenSSL's built-in EC method (pki/builtin_ec_method.hpp).
  // Process-wide, so `tlshop serve` applies it when it starts, not HttpsServer.
  bool builtin_ec_keys = true;
  std::chrono::seconds reload_check_interval{2};

  ConnectionLimits connections;
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;

  std::chrono::seconds handshake_timeout{10};
  // While more than half of limits.max_handshakes are in use.
  std::chrono::seconds busy_handshake_timeout{2};
  std::chrono::seconds request_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds shutdown_timeout{10};

  MessageSettings messages;

  // Client certificates (their public key pins) that may read /metrics.
  std::vector<std::string> metrics_pins;

  std::string currency = "INR";  // ISO 4217 code of the shop's prices
  shop::LoginLimits login_limits;
  std::chrono::seconds max_failed_login_delay{16};
  std::int64_t max_sessions_per_user = 32;

  std::filesystem::path audit_log;   // a file, "journal", or empty (see audit_log_target)
  std::filesystem::path access_log;  // a file, "journal", or empty: DATA_DIR/access.log
  LogRotation log_rotation;
  std::chrono::seconds refusal_summary_interval{60};

  // What the file holds that still works but should go: each a sentence naming the
  // setting, for the operator (stderr) and the audit log.
  std::vector<std::string> warnings;

  unsigned effective_threads() const;
  const std::vector<ListenAddress>& effective_udp_listen() const {
    return udp_listen ? *udp_listen : listen;
  }
  unsigned effective_workers() const { return workers != 0 ? workers : effective_threads(); }
  std::filesystem::path database_file() const { return data_dir / "shop.db"; }
  store::StoreChoice store_choice() const { return {store, database_file(), store_connections}; }
  // Unset, the audit log goes to the journal when the server's stderr is the journal
  // (started by systemd), else to DATA_DIR/audit.log.
  LogTarget audit_log_target(bool stderr_is_journal) const;
  LogTarget access_log_target() const;
  // The shop's rules as this configuration sets them (the server and tlshop admin).
  shop::ShopSettings shop_settings() const;
  // Throws tlshop::Error naming the first setting that cannot work.
  void validate() const;
};

// Reads a TOML configuration file over the defaults. Relative paths in it are taken
// relative to the file's own directory. Throws tlshop::Error naming the bad setting.
ServerConfig load_server_config(const std::filesystem::path& file);
// The same for the text of such a file; relative paths are taken relative to base, and
// errors name source.
ServerConfig parse_server_config(std::string_view text, const std::filesystem::path& base,
                                 const std::string& source);

// A commented TOML file holding every setting at its default.
std::string default_server_config_text();

}  // namespace tlshop::server
