#include "cli/serve_command.hpp"

#include <iostream>
#include <memory>
#include <string>

#include "cli/store_option.hpp"
#include "pki/builtin_ec_method.hpp"
#include "server/https_server.hpp"

namespace tlshop::cli {
namespace {

struct ServeOptions {
  std::string config_file;
  std::vector<std::string> listen;
  std::vector<std::string> listen_udp;
  bool no_udp = false;
  std::string certificate, key, client_ca, crl, data_dir, store;
  std::vector<std::string> pins;
  std::vector<std::string> metrics_pins;
  unsigned threads = 0;
  bool threads_given = false;
  bool allow_tls12 = false;
  bool print_default_config = false;
};

server::ServerConfig build_config(const ServeOptions& options) {
  server::ServerConfig config = options.config_file.empty()
                                    ? server::ServerConfig{}
                                    : server::load_server_config(options.config_file);
  if (!options.listen.empty()) {
    config.listen.clear();
    for (const std::string& address : options.listen) {
      config.listen.push_back(server::ListenAddress::parse(address));
    }
  }
  if (!options.listen_udp.empty() || options.no_udp) {
    config.udp_listen.emplace();
    for (const std::string& address : options.listen_udp) {
      config.udp_listen->push_back(server::ListenAddress::parse(address));
    }
  }
  if (!options.certificate.empty()) config.tls.certificate = options.certificate;
  if (!options.key.empty()) config.tls.key = options.key;
  if (!options.client_ca.empty()) config.tls.client_ca = options.client_ca;
  if (!options.crl.empty()) config.tls.crl = options.crl;
  if (!options.data_dir.empty()) config.data_dir = options.data_dir;
  if (!options.store.empty()) config.store = options.store;
  if (!options.pins.empty()) config.tls.client_pins = options.pins;
  if (!options.metrics_pins.empty()) config.metrics_pins = options.metrics_pins;
  if (options.threads_given) config.threads = options.threads;
  if (options.allow_tls12) config.tls.allow_tls12 = true;
  config.validate();
  return config;
}

}  // namespace

void add_serve_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* command =
      app.add_subcommand("serve", "run the shop server: HTTPS with required client certificates");
  command->add_option("--config", options->config_file, "TOML configuration file");
  command->add_option("--listen", options->listen,
                      "HOST:PORT to listen on, repeatable (default 127.0.0.1:5555)");
  command->add_option("--listen-udp", options->listen_udp,
                      "HOST:PORT for the shop over UDP (DTLS), repeatable (default: as --listen)");
  command->add_flag("--no-udp", options->no_udp, "do not listen on UDP")
      ->excludes(command->get_option("--listen-udp"));
  command->add_option("--cert", options->certificate, "server certificate chain (PEM)");
  command->add_option("--key", options->key, "server private key (PEM)");
  command->add_option("--ca", options->client_ca, "CA bundle client certificates must chain to");
  command->add_option("--crl", options->crl, "CRL file checked against client certificates");
  command->add_option("--data-dir", options->data_dir, "where the server keeps its data and logs");
  add_store_option(*command, options->store);
  command->add_option("--pin", options->pins,
                      "allowed client public key (sha256//BASE64), repeatable");
  command->add_option("--metrics-pin", options->metrics_pins,
                      "client public key (sha256//BASE64) that may read /metrics, repeatable");
  command->add_option("--threads", options->threads, "worker threads (0: one per core)")
      ->each([options](const std::string&) { options->threads_given = true; });
  command->add_flag("--allow-tls12", options->allow_tls12, "also accept TLS 1.2 (ECDHE + AEAD)");
  command->add_flag("--print-default-config", options->print_default_config,
                    "print every setting with its default, as a TOML file, and exit");
  run_after_parsing(*command, action, [options] {
    if (options->print_default_config) {
      std::cout << server::default_server_config_text();
      return;
    }
    server::ServerConfig config = build_config(*options);
    // Before the server loads a certificate, so that every EC key decodes the same way.
    if (std::string refusal = pki::use_builtin_ec_method(config.builtin_ec_keys);
        !refusal.empty()) {
      config.warnings.push_back(
          "tls.builtin_ec_keys is on, but OpenSSL's providers decode "
          "and use EC keys instead: " +
          refusal);
    }
    for (const std::string& warning : config.warnings) {
      std::cerr << "tlshop serve: warning: " << warning << "\n";
    }
    server::HttpsServer server(std::move(config));
    for (const std::string& address : server.bound_addresses()) {
      std::cout << "listening on tcp://" << address << "\n";
    }
    for (const std::string& address : server.bound_udp_addresses()) {
      std::cout << "listening on udp://" << address << "\n";
    }
    std::cout.flush();
    server.run();
  });
}

}  // namespace tlshop::cli
