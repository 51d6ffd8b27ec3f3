#include "server/query_string.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>
#include <charconv>

namespace tlshop::server {
namespace urls = boost::urls;

std::optional<RequestTarget> RequestTarget::parse(std::string_view target) {
  auto url = urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  return RequestTarget(*url);
}

std::string_view RequestTarget::path() const { return url_.encoded_path(); }

std::string_view RequestTarget::query() const { return url_.encoded_query(); }

std::optional<std::string> RequestTarget::parameter(std::string_view name) const {
  // The parameters of the parsed URL, not urls::parse_query on the query alone: that
  // reads a view only up to a NUL, past the end of a request target (Boost 1.81).
  urls::encoding_opts form_encoding;
  form_encoding.space_as_plus = true;
  urls::params_view parameters = url_.params(form_encoding);
  auto found = parameters.find(name);
  if (found == parameters.end()) return std::nullopt;
  return (*found).value;
}

std::string decoded_segment(std::string_view segment) {
  auto encoded = urls::make_pct_string_view(segment);
  return encoded ? encoded->decode() : std::string(segment);
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace tlshop::server
