// Every JSON body the server or the client parses: the first byte picks the parser,
// the rest is the body. A parser may refuse with tlshop::Error (the server answers
// 400); any other exception escapes and fails the run, as it would be a 500.
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "api/error_body.hpp"
#include "tlshop/api/hello.hpp"
#include "tlshop/api/messages.hpp"
#include "tlshop/api/shop_messages.hpp"
#include "tlshop/error.hpp"

namespace api = tlshop::api;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::function<void(std::string_view)>> parsers{
      [](std::string_view text) { api::parse_login_request(text); },
      [](std::string_view text) { api::parse_order_request(text); },
      [](std::string_view text) { api::parse_item(text); },
      [](std::string_view text) { api::parse_item_change_request(text); },
      [](std::string_view text) { api::parse_new_user_request(text); },
      [](std::string_view text) { api::parse_new_password(text); },
      [](std::string_view text) { api::parse_login_reply(text); },
      [](std::string_view text) { api::parse_items_page(text); },
      [](std::string_view text) { api::parse_categories(text); },
      [](std::string_view text) { api::parse_order_line(text); },
      [](std::string_view text) { api::parse_receipt(text); },
      [](std::string_view text) { api::parse_receipts(text); },
      [](std::string_view text) { api::parse_hello(text); },
      [](std::string_view text) { api::parse_message_receipt(text); },
      [](std::string_view text) { api::parse_message_list(text); },
      [](std::string_view text) { api::parse_error_json(text); },
  };
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    parsers[data[0] % parsers.size()](body);
  } catch (const tlshop::Error&) {
    // A clear refusal: what the parser is for.
  }
  return 0;
}
