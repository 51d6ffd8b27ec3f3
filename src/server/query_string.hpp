#pragma once

#include <boost/url/url_view.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tlshop::server {

// A request target ("/v1/items?category=Shoes&limit=5") as Boost.URL reads it: a path
// from '/' with an optional query (RFC 9112's origin form). It refers to the request's
// characters and lives no longer than the request.
class RequestTarget {
 public:
  // nullopt unless every %-escape is valid and nothing is there that a URL may not
  // hold (a space, a control character, a scheme).
  static std::optional<RequestTarget> parse(std::string_view target);

  // Both still percent-encoded, as the routes compare them.
  std::string_view path() const;
  std::string_view query() const;
  // The percent-decoded value of the first parameter of that name; '+' reads as a
  // space, as HTML forms send it.
  std::optional<std::string> parameter(std::string_view name) const;

 private:
  explicit RequestTarget(boost::urls::url_view url) : url_(url) {}
  boost::urls::url_view url_;
};

// A percent-encoded path segment of a target that parsed, decoded ("a%2Fb" -> "a/b").
std::string decoded_segment(std::string_view segment);

// Digits only, no sign, no overflow.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);

}  // namespace tlshop::server
