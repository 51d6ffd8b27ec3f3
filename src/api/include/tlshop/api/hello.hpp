#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tlshop::api {

// GET /v1/hello: the server's greeting and what it saw of the client's connection.
struct Hello {
  std::string greeting;
  std::string subject;
  std::vector<std::string> alt_names;
  std::string serial;
  std::string issuer;
  std::string not_after;
  std::string tls_version;
  std::string cipher;
  bool resumed = false;
};

std::string to_json(const Hello& hello);
// Throws tlshop::Error if text is not a hello reply.
Hello parse_hello(std::string_view text);

}  // namespace tlshop::api
