#include "tlshop/connection_settings.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "client/tls_settings.hpp"
#include "tlshop/error.hpp"

namespace tlshop::client {
namespace fs = std::filesystem;

tls::ClientTlsSettings tls_settings(const ConnectionSettings& settings) {
  tls::ClientTlsSettings tls;
  tls.ca = settings.ca;
  tls.certificate = settings.certificate;
  tls.key = settings.key;
  tls.server_pins = settings.server_pins;
  tls.allow_tls12 = settings.allow_tls12;
  tls.ca_pem = settings.ca_pem;
  tls.certificate_pem = settings.certificate_pem;
  tls.key_pem = settings.key_pem;
  return tls;
}

void ConnectionSettings::set_server(const std::string& address) {
  if (auto scheme = address.find("://"); scheme != std::string::npos) {
    std::string rest = address.substr(scheme + 3);
    throw Error("give the server as HOST:PORT, not a URL: " + rest.substr(0, rest.find('/')));
  }
  std::string host_part = address;
  std::string port_part;
  if (address.starts_with("[")) {
    auto close = address.find(']');
    if (close == std::string::npos) throw Error("server '" + address + "': missing ']'");
    host_part = address.substr(1, close - 1);
    if (close + 1 < address.size()) {
      if (address[close + 1] != ':') throw Error("server '" + address + "' must be HOST:PORT");
      port_part = address.substr(close + 2);
    }
  } else if (auto colon = address.rfind(':'); colon != std::string::npos) {
    host_part = address.substr(0, colon);
    port_part = address.substr(colon + 1);
  }
  if (host_part.empty()) throw Error("server '" + address + "' has no host");
  unsigned value = 5555;
  if (!port_part.empty()) {
    auto [end, ec] = std::from_chars(port_part.data(), port_part.data() + port_part.size(), value);
    if (ec != std::errc() || end != port_part.data() + port_part.size() || value == 0 ||
        value > 65535) {
      throw Error("server '" + address + "' has an invalid port");
    }
  }
  host = host_part;
  port = static_cast<std::uint16_t>(value);
}

std::string ConnectionSettings::server() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

void apply_client_config_file(const fs::path& file, ConnectionSettings& settings,
                              bool server_given) {
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw Error(file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                std::string(e.description()));
  }
  auto path_of = [&](std::string_view key, fs::path& target) {
    if (!target.empty()) return;
    if (auto value = table[key].value<std::string>()) {
      target = fs::path(*value).is_absolute() ? fs::path(*value) : file.parent_path() / *value;
    }
  };
  for (const auto& [key, node] : table) {
    static const std::vector<std::string_view> kKnown{"server", "ca",  "cert",
                                                      "key",    "pin", "timeout_seconds"};
    if (std::find(kKnown.begin(), kKnown.end(), key.str()) == kKnown.end()) {
      throw Error(file.string() + ": unknown setting '" + std::string(key.str()) + "'");
    }
  }
  if (auto server = table["server"].value<std::string>(); server && !server_given) {
    settings.set_server(*server);
  }
  path_of("ca", settings.ca);
  path_of("cert", settings.certificate);
  path_of("key", settings.key);
  if (settings.server_pins.empty()) {
    if (auto pin = table["pin"].value<std::string>()) settings.server_pins = {*pin};
    if (const toml::array* pins = table["pin"].as_array()) {
      for (const toml::node& pin : *pins) {
        if (auto text = pin.value<std::string>()) settings.server_pins.push_back(*text);
      }
    }
  }
  if (auto seconds = table["timeout_seconds"].value<std::int64_t>()) {
    if (*seconds < 1 || *seconds > 3600) {
      throw Error(file.string() + ": timeout_seconds must be from 1 to 3600");
    }
    settings.timeout = std::chrono::seconds(*seconds);
  }
}

std::optional<fs::path> default_client_config_file() {
  std::vector<fs::path> candidates;
  if (const char* explicit_file = std::getenv("TLSHOP_CLIENT_CONFIG")) {
    return fs::path(explicit_file);
  }
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    candidates.push_back(fs::path(xdg) / "tlshop" / "client.toml");
  } else if (const char* home = std::getenv("HOME")) {
    candidates.push_back(fs::path(home) / ".config" / "tlshop" / "client.toml");
  }
  for (const fs::path& candidate : candidates) {
    std::error_code ec;
    if (fs::exists(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

}  // namespace tlshop::client
