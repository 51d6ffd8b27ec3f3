#include "server/listen_address.hpp"

#include <charconv>

#include "tlshop/error.hpp"

namespace tlshop::server {

ListenAddress ListenAddress::parse(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    throw Error("listen address '" + text + "' must be HOST:PORT (or [IPv6]:PORT)");
  }
  std::string host = text.substr(0, colon);
  std::string port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    throw Error("listen address '" + text + "': write IPv6 addresses in brackets, [::1]:5555");
  }
  if (host.empty()) host = "0.0.0.0";
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
      port_text.empty()) {
    throw Error("listen address '" + text + "' has an invalid port");
  }
  return {host, static_cast<std::uint16_t>(port)};
}

std::string ListenAddress::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace tlshop::server
