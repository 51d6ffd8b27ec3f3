#include "server/server_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/files.hpp"
#include "support/temp_dir.hpp"
#include "tlshop/error.hpp"

namespace tlshop::server {
namespace {

using ::testing::HasSubstr;

TEST(ServerConfig, FileOverridesDefaultsAndPathsAreRelativeToIt) {
  test::TempDir dir;
  write_file_atomically(dir / "server.toml", R"(
listen = ["[::1]:0", "127.0.0.1:8443"]
threads = 3
[tls]
certificate = "certs/server.crt"
key = "/etc/tlshop/server.key"
client_ca = "ca.crt"
allow_tls12 = true
builtin_ec_keys = false
[timeouts]
idle_seconds = 5
)");
  ServerConfig config = load_server_config(dir / "server.toml");
  ASSERT_EQ(config.listen.size(), 2u);
  EXPECT_EQ(config.listen[1].port, 8443);
  EXPECT_EQ(config.threads, 3u);
  EXPECT_EQ(config.tls.certificate, dir / "certs/server.crt");
  EXPECT_EQ(config.tls.key, "/etc/tlshop/server.key");
  EXPECT_TRUE(config.tls.allow_tls12);
  EXPECT_FALSE(config.builtin_ec_keys);
  EXPECT_TRUE(config.warnings.empty());
  EXPECT_EQ(config.idle_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config.request_timeout, std::chrono::seconds(30));
  EXPECT_EQ(config.max_body_bytes, 64u * 1024);
  EXPECT_EQ(config.audit_log_target(false), LogTarget{"tlshop-data/audit.log"});
  EXPECT_EQ(config.audit_log_target(true), LogTarget::to_journal());
  EXPECT_EQ(config.access_log_target(), LogTarget{"tlshop-data/access.log"});
  EXPECT_NO_THROW(config.validate());
}

TEST(ServerConfig, LogsGoWhereTheSettingsSayWhetherOrNotSystemdStartedTheServer) {
  test::TempDir dir;
  write_file_atomically(dir / "server.toml", R"([logs]
audit = "/var/log/tlshop/audit.log"
access = "journal"
)");
  ServerConfig config = load_server_config(dir / "server.toml");
  EXPECT_EQ(config.audit_log_target(true), LogTarget{"/var/log/tlshop/audit.log"});
  EXPECT_EQ(config.access_log_target(), LogTarget::to_journal());
  config.audit_log = "journal";
  EXPECT_EQ(config.audit_log_target(false), LogTarget::to_journal());
}

TEST(ServerConfig, DefaultTextLoadsToTheDefaults) {
  test::TempDir dir;
  write_file_atomically(dir / "default.toml", default_server_config_text());
  ServerConfig loaded = load_server_config(dir / "default.toml");
  ServerConfig defaults;
  EXPECT_EQ(loaded.listen[0].to_string(), defaults.listen[0].to_string());
  EXPECT_EQ(loaded.connections, defaults.connections);
  EXPECT_EQ(loaded.busy_handshake_timeout, defaults.busy_handshake_timeout);
  EXPECT_EQ(loaded.login_limits, defaults.login_limits);
  EXPECT_EQ(loaded.log_rotation, defaults.log_rotation);
  EXPECT_EQ(loaded.refusal_summary_interval, defaults.refusal_summary_interval);
  EXPECT_EQ(loaded.messages.quota.max_count, defaults.messages.quota.max_count);
  EXPECT_EQ(loaded.messages.quota.max_bytes, defaults.messages.quota.max_bytes);
  EXPECT_EQ(loaded.messages.quota.max_total_bytes, defaults.messages.quota.max_total_bytes);
  EXPECT_EQ(loaded.messages.retention, defaults.messages.retention);
  EXPECT_EQ(loaded.metrics_pins, defaults.metrics_pins);
  EXPECT_EQ(loaded.max_failed_login_delay, defaults.max_failed_login_delay);
  EXPECT_EQ(loaded.max_sessions_per_user, defaults.max_sessions_per_user);
  EXPECT_EQ(loaded.max_header_bytes, defaults.max_header_bytes);
  EXPECT_EQ(loaded.handshake_timeout, defaults.handshake_timeout);
  EXPECT_EQ(loaded.shutdown_timeout, defaults.shutdown_timeout);
  EXPECT_EQ(loaded.reload_check_interval, defaults.reload_check_interval);
  EXPECT_TRUE(loaded.builtin_ec_keys);
  EXPECT_TRUE(loaded.warnings.empty());
  EXPECT_THAT([&] { loaded.validate(); }, ::testing::Throws<Error>());
}

TEST(ServerConfig, RefusesUnknownAndOutOfRangeSettings) {
  test::TempDir dir;
  auto error_for = [&](const std::string& text) -> std::string {
    write_file_atomically(dir / "bad.toml", text);
    try {
      load_server_config(dir / "bad.toml");
    } catch (const Error& e) {
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_THAT(error_for("lissen = []\n"), HasSubstr("unknown setting 'lissen'"));
  EXPECT_THAT(error_for("[limits]\nmax_connections = 0\n"), HasSubstr("limits.max_connections"));
  EXPECT_THAT(error_for("[timeouts]\nidle_seconds = 0\n"), HasSubstr("timeouts.idle_seconds"));
  EXPECT_THAT(error_for("[logins]\nmax_sessions_per_user = 0\n"),
              HasSubstr("logins.max_sessions_per_user"));
  EXPECT_THAT(error_for("[tls]\nallow_tls12 = 1\n"), HasSubstr("true or false"));
  EXPECT_THAT(error_for("listen = [1]\n"), HasSubstr("list of strings"));
  EXPECT_THAT(error_for("x = \n"), HasSubstr("bad.toml:1"));
}

TEST(ServerConfig, AFileThatSetsTheRemovedHandshakeProviderLoadsWithAWarning) {
  test::TempDir dir;
  for (const char* value : {"true", "false"}) {
    write_file_atomically(dir / "old.toml", std::string("[tls]\nhandshake_provider = ") + value +
                                                "\nallow_tls12 = true\n");
    ServerConfig config = load_server_config(dir / "old.toml");
    EXPECT_TRUE(config.tls.allow_tls12);
    ASSERT_EQ(config.warnings.size(), 1u);
    EXPECT_THAT(config.warnings[0],
                HasSubstr("'tls.handshake_provider' is deprecated and ignored"));
    EXPECT_THAT(config.warnings[0], HasSubstr("old.toml"));
  }
}

}  // namespace
}  // namespace tlshop::server
