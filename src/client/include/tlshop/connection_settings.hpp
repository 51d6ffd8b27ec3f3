#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tlshop::client {

// TCP: the HTTPS API over TLS 1.3. UDP: the datagram protocol over DTLS 1.2, the same
// calls and errors, each request sent again until answered (docs/protocol.md).
enum class Transport { kTcp, kUdp };

// How to reach a tlshop server and who to be when there.
struct ConnectionSettings {
  std::string host = "localhost";
  std::uint16_t port = 5555;
  std::filesystem::path ca;              // root certificate the server's chain must lead to
  std::filesystem::path certificate;     // this client's certificate chain
  std::filesystem::path key;             // its private key
  std::vector<std::string> server_pins;  // optional: "sha256//BASE64" of the server's key
  std::chrono::milliseconds timeout{10'000};
  Transport transport = Transport::kTcp;
  bool allow_tls12 = false;
  // The CA, the certificate chain and the key as PEM text, for programs that keep them
  // elsewhere than in files (a secret store, a PKCS#11 export); each one given takes
  // the place of its file.
  std::string ca_pem, certificate_pem, key_pem;

  // Sets host and port from "HOST:PORT", "HOST" (port 5555) or "[IPv6]:PORT".
  void set_server(const std::string& address);
  std::string server() const;
};

// The client configuration file: TOML with keys server, ca, cert, key, pin (a string or
// a list) and timeout_seconds; relative paths are taken from the file's directory.
// Fills in only what `settings` leaves empty. Throws tlshop::Error on a bad file.
void apply_client_config_file(const std::filesystem::path& file, ConnectionSettings& settings,
                              bool server_given);

// $TLSHOP_CLIENT_CONFIG, else $XDG_CONFIG_HOME/tlshop/client.toml, else
// ~/.config/tlshop/client.toml; nullopt if none of them exists.
std::optional<std::filesystem::path> default_client_config_file();

}  // namespace tlshop::client
