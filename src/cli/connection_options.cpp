#include "cli/connection_options.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "cli/usage_error.hpp"
#include "tlshop/error.hpp"

namespace tlshop::cli {

client::ConnectionSettings ConnectionOptions::settings() const {
  client::ConnectionSettings settings;
  if (!server.empty()) {
    try {
      settings.set_server(server);
    } catch (const Error& e) {
      throw UsageError(e.what());
    }
  }
  settings.ca = ca;
  settings.certificate = cert;
  settings.key = key;
  settings.server_pins = pins;
  std::optional<std::filesystem::path> file =
      config.empty() ? client::default_client_config_file() : std::filesystem::path(config);
  if (file) client::apply_client_config_file(*file, settings, !server.empty());
  if (timeout_seconds != 0) settings.timeout = std::chrono::seconds(timeout_seconds);
  std::string transport = std::getenv("TLSHOP_TRANSPORT") ? std::getenv("TLSHOP_TRANSPORT") : "";
  if (!transport.empty() && transport != "tcp" && transport != "udp") {
    throw UsageError("TLSHOP_TRANSPORT must be tcp or udp, not '" + transport + "'");
  }
  if (udp || transport == "udp") settings.transport = client::Transport::kUdp;
  if (settings.ca.empty()) {
    throw Error("no CA to verify the server with: pass --ca, set TLSHOP_CA or 'ca' in " +
                (file ? file->string() : std::string("~/.config/tlshop/client.toml")));
  }
  if (settings.certificate.empty() || settings.key.empty()) {
    throw Error("no client certificate: pass --cert and --key (or TLSHOP_CERT and TLSHOP_KEY)");
  }
  return settings;
}

void add_connection_options(CLI::App& command, ConnectionOptions& options) {
  command
      .add_option("--server", options.server, "HOST:PORT of the server (default localhost:5555)")
      ->envname("TLSHOP_SERVER");
  command.add_option("--ca", options.ca, "root certificate to verify the server with")
      ->envname("TLSHOP_CA");
  command.add_option("--cert", options.cert, "this client's certificate chain")
      ->envname("TLSHOP_CERT");
  command.add_option("--key", options.key, "this client's private key")->envname("TLSHOP_KEY");
  command.add_option("--pin", options.pins, "the server's public key, sha256//BASE64 (repeatable)")
      ->envname("TLSHOP_PIN");
  command.add_option("--timeout", options.timeout_seconds, "seconds to wait (default 10)");
  command
      .add_option("--client-config", options.config,
                  "client configuration file (default ~/.config/tlshop/client.toml)")
      ->envname("TLSHOP_CLIENT_CONFIG");
  command.add_flag("--json", options.json, "print the server's JSON");
  command.add_flag("--udp", options.udp,
                   "talk to the server over UDP (DTLS), not TCP (or TLSHOP_TRANSPORT=udp)");
}

}  // namespace tlshop::cli
