#pragma once

#include <cstdint>
#include <string>

namespace tlshop::server {

// "HOST:PORT", "[IPv6]:PORT" or ":PORT" (all IPv4 interfaces); port 0 picks a free port.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;

  // Throws tlshop::Error on anything else.
  static ListenAddress parse(const std::string& text);
  // "127.0.0.1:5555", "[::1]:5555".
  std::string to_string() const;
};

}  // namespace tlshop::server
