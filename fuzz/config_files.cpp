// What an operator's files hold: the server's TOML configuration (first byte even) and
// a seed catalog in CSV (odd). Both are refused with tlshop::Error when wrong.
#include <cstdint>
#include <string_view>

#include "server/server_config.hpp"
#include "shop/seed_catalog.hpp"
#include "tlshop/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      tlshop::server::parse_server_config(text, "/etc/tlshop", "tlshop.toml").validate();
    } else {
      tlshop::shop::parse_seed_catalog(text);
    }
  } catch (const tlshop::Error&) {
  }
  return 0;
}
