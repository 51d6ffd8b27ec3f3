#include "server/server_config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <thread>

#include "base/files.hpp"
#include "tls/pin_set.hpp"
#include "tlshop/error.hpp"

namespace tlshop::server {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxConfigBytes = 1 << 20;
// The value of logs.audit or logs.access that sends the log to the systemd journal.
const fs::path kJournal = "journal";

const std::set<std::string> kKnownSettings = {
    "listen",
    "udp.listen",
    "udp.max_peers",
    "udp.mtu",
    "threads",
    "workers",
    "writers",
    "data_dir",
    "store",
    "store_connections",
    "tls.certificate",
    "tls.key",
    "tls.client_ca",
    "tls.crl",
    "tls.ticket_keys",
    "tls.client_pins",
    "tls.allow_tls12",
    "tls.builtin_ec_keys",
    "tls.reload_check_seconds",
    "limits.max_connections",
    "limits.max_connections_per_client",
    "limits.max_handshakes",
    "limits.max_handshakes_per_source",
    "limits.tls_sessions",
    "limits.max_header_bytes",
    "limits.max_body_bytes",
    "timeouts.handshake_seconds",
    "timeouts.busy_handshake_seconds",
    "timeouts.request_seconds",
    "timeouts.idle_seconds",
    "timeouts.shutdown_seconds",
    "shop.currency",
    "metrics.client_pins",
    "messages.max_per_client",
    "messages.max_bytes_per_client",
    "messages.max_total_bytes",
    "messages.retention_days",
    "logins.max_failures_per_account",
    "logins.max_failures_per_certificate",
    "logins.window_seconds",
    "logins.max_delay_seconds",
    "logins.max_sessions_per_user",
    "logs.audit",
    "logs.access",
    "logs.max_bytes",
    "logs.keep",
    "logs.refusal_summary_seconds",
};

// Settings that once existed: a file that still sets one loads, with a warning saying why
// it no longer does anything.
const std::map<std::string, std::string> kDeprecatedSettings = {
    {"tls.handshake_provider",
     "is deprecated and ignored: every cryptographic algorithm comes from OpenSSL's own "
     "providers; remove it from the file"},
};

void refuse_unknown_settings(const toml::table& table, const std::string& prefix) {
  for (const auto& [key, node] : table) {
    std::string name = prefix + std::string(key.str());
    if (const toml::table* section = node.as_table(); section != nullptr && prefix.empty()) {
      refuse_unknown_settings(*section, name + ".");
    } else if (kKnownSettings.count(name) == 0 && kDeprecatedSettings.count(name) == 0) {
      throw Error("unknown setting '" + name + "'");
    }
  }
}

class Reader {
 public:
  Reader(const toml::table& table, fs::path base) : table_(table), base_(std::move(base)) {}

  template <typename T>
  void number(std::string_view path, T& target, std::int64_t min, std::int64_t max) {
    const toml::node* node = table_.at_path(path).node();
    if (node == nullptr) return;
    auto value = node->value<std::int64_t>();
    if (!value || *value < min || *value > max) {
      throw Error("setting '" + std::string(path) + "' must be an integer from " +
                  std::to_string(min) + " to " + std::to_string(max));
    }
    target = static_cast<T>(*value);
  }

  void seconds(std::string_view path, std::chrono::seconds& target) {
    std::int64_t count = target.count();
    number(path, count, 1, 86400);
    target = std::chrono::seconds(count);
  }

  void boolean(std::string_view path, bool& target) {
    const toml::node* node = table_.at_path(path).node();
    if (node == nullptr) return;
    if (!node->is_boolean())
      throw Error("setting '" + std::string(path) + "' must be true or false");
    target = *node->value<bool>();
  }

  void path(std::string_view key, fs::path& target) {
    std::string text;
    if (!string(key, text)) return;
    target = text.empty() || fs::path(text).is_absolute() ? fs::path(text) : base_ / text;
  }

  // A log's setting: a path, or the word "journal".
  void log_path(std::string_view key, fs::path& target) {
    path(key, target);
    if (target == base_ / kJournal) target = kJournal;
  }

  bool string(std::string_view path, std::string& target) {
    const toml::node* node = table_.at_path(path).node();
    if (node == nullptr) return false;
    if (!node->is_string()) throw Error("setting '" + std::string(path) + "' must be a string");
    target = *node->value<std::string>();
    return true;
  }

  void strings(std::string_view path, std::vector<std::string>& target) {
    const toml::node* node = table_.at_path(path).node();
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr)
      throw Error("setting '" + std::string(path) + "' must be a list of strings");
    target.clear();
    for (const toml::node& item : *array) {
      if (!item.is_string())
        throw Error("setting '" + std::string(path) + "' must be a list of strings");
      target.push_back(*item.value<std::string>());
    }
  }

 private:
  const toml::table& table_;
  fs::path base_;
};

}  // namespace

unsigned ServerConfig::effective_threads() const {
  return threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
}

namespace {

LogTarget log_target(const fs::path& setting, const fs::path& default_file) {
  if (setting == kJournal) return LogTarget::to_journal();
  return {setting.empty() ? default_file : setting};
}

}  // namespace

LogTarget ServerConfig::audit_log_target(bool stderr_is_journal) const {
  if (audit_log.empty() && stderr_is_journal) return LogTarget::to_journal();
  return log_target(audit_log, data_dir / "audit.log");
}

LogTarget ServerConfig::access_log_target() const {
  return log_target(access_log, data_dir / "access.log");
}

shop::ShopSettings ServerConfig::shop_settings() const {
  shop::ShopSettings settings;
  settings.currency = currency;
  settings.login_limits = login_limits;
  settings.max_failure_delay = max_failed_login_delay;
  settings.max_sessions_per_user = static_cast<std::size_t>(max_sessions_per_user);
  return settings;
}

void ServerConfig::validate() const {
  if (listen.empty()) throw Error("no listen address: set 'listen' or pass --listen");
  if (tls.certificate.empty())
    throw Error("no server certificate: set 'tls.certificate' or pass --cert");
  if (tls.key.empty()) throw Error("no server key: set 'tls.key' or pass --key");
  if (tls.client_ca.empty()) {
    throw Error(
        "no client CA bundle: set 'tls.client_ca' or pass --ca (clients must present a "
        "certificate from it)");
  }
  if (threads > 256) throw Error("'threads' must be at most 256");
  store::check_store_url(store);
  try {
    tls::PinSet well_formed(metrics_pins);
  } catch (const Error& e) {
    throw Error("'metrics.client_pins': " + std::string(e.what()));
  }
  if (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(), ::isupper)) {
    throw Error("'shop.currency' must be a three-letter ISO 4217 code such as INR or EUR");
  }
}

ServerConfig load_server_config(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) throw Error("config file " + file.string() + " not found");
  return parse_server_config(read_file(file, kMaxConfigBytes), file.parent_path(), file.string());
}

ServerConfig parse_server_config(std::string_view text, const fs::path& base,
                                 const std::string& source) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw Error(source + ":" + std::to_string(e.source().begin.line) + ": " +
                std::string(e.description()));
  }
  try {
    refuse_unknown_settings(table, "");
    ServerConfig config;
    Reader reader(table, base);
    std::vector<std::string> listen;
    reader.strings("listen", listen);
    if (table.contains("listen")) {
      config.listen.clear();
      for (const std::string& address : listen)
        config.listen.push_back(ListenAddress::parse(address));
    }
    if (table.at_path("udp.listen")) {
      std::vector<std::string> udp;
      reader.strings("udp.listen", udp);
      config.udp_listen.emplace();
      for (const std::string& address : udp)
        config.udp_listen->push_back(ListenAddress::parse(address));
    }
    reader.number("udp.max_peers", config.udp_max_peers, 1, 1 << 20);
    reader.number("udp.mtu", config.udp_mtu, 576, 9000);
    reader.number("threads", config.threads, 0, 256);
    reader.number("workers", config.workers, 0, 256);
    reader.number("writers", config.writers, 1, 1024);
    reader.path("data_dir", config.data_dir);
    reader.string("store", config.store);
    reader.number("store_connections", config.store_connections, 1, 1024);
    reader.path("tls.certificate", config.tls.certificate);
    reader.path("tls.key", config.tls.key);
    reader.path("tls.client_ca", config.tls.client_ca);
    reader.path("tls.crl", config.tls.crl);
    reader.path("tls.ticket_keys", config.tls.ticket_keys);
    reader.strings("tls.client_pins", config.tls.client_pins);
    reader.boolean("tls.allow_tls12", config.tls.allow_tls12);
    reader.boolean("tls.builtin_ec_keys", config.builtin_ec_keys);
    reader.seconds("tls.reload_check_seconds", config.reload_check_interval);
    reader.number("limits.max_connections", config.connections.max_connections, 1, 1'000'000);
    reader.number("limits.max_connections_per_client",
                  config.connections.max_connections_per_client, 1, 1'000'000);
    reader.number("limits.max_handshakes", config.connections.max_handshakes, 1, 1'000'000);
    reader.number("limits.max_handshakes_per_source", config.connections.max_handshakes_per_source,
                  1, 1'000'000);
    reader.number("limits.tls_sessions", config.tls.session_cache_size, 1, 1'000'000);
    reader.number("limits.max_header_bytes", config.max_header_bytes, 1024, 1 << 20);
    reader.number("limits.max_body_bytes", config.max_body_bytes, 0, 64 << 20);
    reader.seconds("timeouts.handshake_seconds", config.handshake_timeout);
    reader.seconds("timeouts.busy_handshake_seconds", config.busy_handshake_timeout);
    reader.seconds("timeouts.request_seconds", config.request_timeout);
    reader.seconds("timeouts.idle_seconds", config.idle_timeout);
    reader.seconds("timeouts.shutdown_seconds", config.shutdown_timeout);
    reader.string("shop.currency", config.currency);
    reader.strings("metrics.client_pins", config.metrics_pins);
    reader.number("messages.max_per_client", config.messages.quota.max_count, 1, 1'000'000'000);
    reader.number("messages.max_bytes_per_client", config.messages.quota.max_bytes, 1,
                  std::int64_t{1} << 40);
    reader.number("messages.max_total_bytes", config.messages.quota.max_total_bytes, 1,
                  std::int64_t{1} << 44);
    std::int64_t retention_days = config.messages.retention.count() / 24;
    reader.number("messages.retention_days", retention_days, 1, 36500);
    config.messages.retention = std::chrono::hours(24 * retention_days);
    reader.number("logins.max_failures_per_account",
                  config.login_limits.per_account_and_certificate, 1, 1000);
    reader.number("logins.max_failures_per_certificate", config.login_limits.per_certificate, 1,
                  100000);
    reader.number("logins.window_seconds", config.login_limits.window_seconds, 1, 86400 * 30);
    reader.seconds("logins.max_delay_seconds", config.max_failed_login_delay);
    reader.number("logins.max_sessions_per_user", config.max_sessions_per_user, 1, 100000);
    reader.log_path("logs.audit", config.audit_log);
    reader.log_path("logs.access", config.access_log);
    reader.number("logs.max_bytes", config.log_rotation.max_bytes, 0, std::int64_t{1} << 40);
    reader.number("logs.keep", config.log_rotation.keep, 1, 100);
    reader.seconds("logs.refusal_summary_seconds", config.refusal_summary_interval);
    for (const auto& [name, why] : kDeprecatedSettings) {
      if (table.at_path(name).node() != nullptr) {
        config.warnings.push_back(source + ": setting '" + name + "' " + why);
      }
    }
    return config;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
}

std::string default_server_config_text() {
  return R"(# tlshop server configuration (TOML). Every setting is shown at its default.
# Relative paths are taken relative to this file's directory. Flags given to
# `tlshop serve` override the file.

# Where to accept connections: "HOST:PORT", "[IPv6]:PORT"; port 0 picks a free port.
listen = ["127.0.0.1:5555"]
# Worker threads, each with its own event loop and listening socket; 0: one per core.
threads = 0
# Threads for logins and password changes (Argon2id: CPU and 64 MiB each); 0: as many
# as threads.
workers = 0
# Threads for requests that write (each waits for its commit; purchases waiting together
# share one commit, so more writers means fewer disk flushes under load).
writers = 32
# Where the server keeps its data (the shop's SQLite file, logs).
data_dir = "tlshop-data"
# The shop's data in PostgreSQL instead, shared by every server given the same URL:
# "postgresql://USER@HOST/DATABASE" (a password may come from ~/.pgpass, a libpq
# service file or PGPASSWORD rather than the URL). Empty: SQLite, DATA_DIR/shop.db.
store = ""
# PostgreSQL: connections this server opens at most.
store_connections = 16

[tls]
# The server's certificate chain (leaf first) and its private key.
certificate = ""
key = ""
# Client certificates must chain to a CA in this bundle (tlshop ca: ca-chain.crt).
client_ca = ""
# CRLs for the client CAs (tlshop ca: crl.pem); empty: no revocation check.
crl = ""
# Session ticket keys shared by several servers behind one address, so that a client
# resumes its session on whichever it reaches ('tlshop admin rotate-ticket-keys FILE'
# makes and rotates the file; a server reloads it when it changes). Empty: each server
# resumes only its own sessions, from its cache.
ticket_keys = ""
# If not empty, only client certificates whose public key is listed are accepted.
# Form: "sha256//BASE64", as curl's --pinnedpubkey and `tlshop ca inspect` show it.
client_pins = []
# Also accept TLS 1.2 (ECDHE key exchange with AEAD ciphers only).
allow_tls12 = false
# Parse and use EC keys (client certificates) with OpenSSL's built-in EC method, not
# its provider decoders: the same checks and arithmetic, and with OpenSSL 3.0 a quarter
# less CPU per full handshake. false: providers only.
builtin_ec_keys = true
# How often to look for changed TLS files; changes are loaded without a restart.
reload_check_seconds = 2

[limits]
# Connections still in the TLS handshake (no certificate checked yet): at the limit,
# the oldest of them is closed to make room; and from one IPv4 address or IPv6 /64,
# where more are closed as soon as they are accepted.
max_handshakes = 256
max_handshakes_per_source = 32
# Authenticated connections: at the limit, the one idle the longest is closed to make
# room (if none is idle, the newcomer is); over one client certificate, where that
# client's own longest-idle connection makes room.
max_connections = 1024
max_connections_per_client = 64
# TLS sessions kept for resumption (about 6 KiB each, with the client's certificate);
# past it the oldest go, and their clients make a full handshake next time.
tls_sessions = 20000
# Largest request line plus headers, and largest request body, in bytes.
max_header_bytes = 8192
max_body_bytes = 65536

[timeouts]
# To complete the TLS handshake; to receive a whole request once it has started;
# to wait for the next request on a kept-alive connection; to finish in-flight
# requests on SIGTERM before closing anyway.
handshake_seconds = 10
# The handshake time allowed while more than half of max_handshakes are in use.
busy_handshake_seconds = 2
request_seconds = 30
idle_seconds = 60
shutdown_seconds = 10

[shop]
# The currency of every price: prices are whole numbers of its smallest unit.
currency = "INR"

[logins]
# Failed logins allowed in the window, per account over one client certificate and per
# certificate over every account; a client at a limit gets 429 until its oldest failure
# leaves the window. Other certificates are not held back: one client cannot lock an
# account for everyone. Each failure is answered later than the last (1 s, 2 s, 4 s...)
# up to max_delay_seconds.
max_failures_per_account = 5
max_failures_per_certificate = 20
window_seconds = 900
max_delay_seconds = 16
# Sessions (logins) one user holds at once, over all its clients; a login past it ends
# that user's oldest session.
max_sessions_per_user = 32

[messages]
# What one client certificate may keep (count and bytes of bodies): over either, a new
# message gets 429 or 507; and what all clients together may keep (507). Messages
# older than retention_days are deleted.
max_per_client = 10000
max_bytes_per_client = 67108864
max_total_bytes = 1073741824
retention_days = 30

[metrics]
# GET /metrics answers administrators (with their session token) and the client
# certificates whose public keys are listed here ("sha256//BASE64"), such as the one a
# Prometheus server presents; everyone else gets 403.
client_pins = []

[udp]
# The shop over UDP, DTLS 1.2 with client certificates (docs/protocol.md). Where to take
# datagrams: left out, the same HOST:PORT as listen above; [] for no UDP at all.
# listen = ["127.0.0.1:5555"]
# DTLS sessions open at once; past it, new peers are dropped until one leaves.
max_peers = 1024
# The largest datagram sent (UDP payload bytes): replies and handshake records fit in it,
# so nothing is fragmented by IP.
mtu = 1200

[logs]
# JSON lines. The audit log records security events (refused handshakes, reloads,
# stored messages); the access log one line per request. A file, or "journal" for the
# systemd journal. Empty: the access log in data_dir; the audit log in the journal when
# the server runs under systemd (its stderr is the journal), else in data_dir.
audit = ""
access = ""
# Past max_bytes a log is renamed LOG.1 (LOG.1 to LOG.2, ...; keep files at most) and a
# new one begun: each log takes at most max_bytes * (keep + 1). 0: never rotated here
# (logrotate, then SIGUSR1 to reopen the files).
max_bytes = 67108864
keep = 4
# Of the handshake refusals from one address for one reason, the first in each such
# interval is logged in full, the rest as one line with their count.
refusal_summary_seconds = 60
)";
}

}  // namespace tlshop::server
