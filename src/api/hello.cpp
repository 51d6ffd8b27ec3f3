#include "tlshop/api/hello.hpp"

#include <boost/json.hpp>

#include "api/json_fields.hpp"

namespace tlshop::api {
namespace json = boost::json;

std::string to_json(const Hello& hello) {
  json::array alt_names(hello.alt_names.begin(), hello.alt_names.end());
  json::object peer{{"subject", hello.subject},
                    {"alt_names", std::move(alt_names)},
                    {"serial", hello.serial},
                    {"issuer", hello.issuer},
                    {"not_after", hello.not_after}};
  json::object tls{
      {"version", hello.tls_version}, {"cipher", hello.cipher}, {"resumed", hello.resumed}};
  return json::serialize(json::object{
      {"greeting", hello.greeting}, {"peer", std::move(peer)}, {"tls", std::move(tls)}});
}

Hello parse_hello(std::string_view text) {
  JsonReader reader(text, "hello reply");
  const json::object& root = reader.root();
  const json::object& peer = reader.object_at(root, "peer");
  const json::object& tls = reader.object_at(root, "tls");
  Hello hello;
  hello.greeting = reader.string_at(root, "greeting");
  hello.subject = reader.string_at(peer, "subject");
  for (const json::value& name : reader.array_at(peer, "alt_names")) {
    if (name.is_string()) hello.alt_names.emplace_back(name.as_string());
  }
  hello.serial = reader.string_at(peer, "serial");
  hello.issuer = reader.string_at(peer, "issuer");
  hello.not_after = reader.string_at(peer, "not_after");
  hello.tls_version = reader.string_at(tls, "version");
  hello.cipher = reader.string_at(tls, "cipher");
  hello.resumed = reader.bool_at(tls, "resumed");
  return hello;
}

}  // namespace tlshop::api
