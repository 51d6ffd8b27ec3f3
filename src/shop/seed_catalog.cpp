#include "shop/seed_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "shop/shop_error.hpp"

namespace tlshop::shop {
namespace {

constexpr std::int64_t kMaxAmount = 1'000'000'000'000;

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> fields;
  while (true) {
    auto at = line.find(separator);
    fields.push_back(line.substr(0, at));
    if (at == std::string_view::npos) return fields;
    line.remove_prefix(at + 1);
  }
}

std::int64_t number(std::string_view text, int line_number) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw Error("seed catalog line " + std::to_string(line_number) + ": '" + std::string(text) +
                "' is not a whole number");
  }
  return value;
}

bool is_printable(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c >= 0x20 && c != 0x7f; });
}

}  // namespace

void check_item(const Item& item) {
  auto invalid = [](const std::string& message) {
    throw ShopError(ShopError::Kind::kInvalid, "invalid_item", message);
  };
  bool sku_ok = !item.sku.empty() && item.sku.size() <= 32 &&
                std::all_of(item.sku.begin(), item.sku.end(), [](unsigned char c) {
                  return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
                });
  if (!sku_ok) invalid("sku must be 1 to 32 letters, digits or . _ -");
  if (item.name.empty() || item.name.size() > 64 || !is_printable(item.name)) {
    invalid("name must be 1 to 64 printable characters");
  }
  if (item.category.empty() || item.category.size() > 64 || !is_printable(item.category)) {
    invalid("category must be 1 to 64 printable characters");
  }
  if (item.stock < 0 || item.stock > kMaxAmount) invalid("stock must be from 0 to 10^12");
  if (item.unit_price < 0 || item.unit_price > kMaxAmount) {
    invalid("unit price must be from 0 to 10^12 (in the smallest currency unit)");
  }
}

std::vector<Item> parse_seed_catalog(std::string_view csv) {
  std::vector<Item> items;
  int line_number = 0;
  for (std::string_view line : split(csv, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line_number == 1) continue;  // the header
    std::vector<std::string_view> fields = split(line, ',');
    if (fields.size() != 5) {
      throw Error("seed catalog line " + std::to_string(line_number) + ": expected 5 fields");
    }
    Item item{std::string(fields[0]), std::string(fields[2]), std::string(fields[1]),
              number(fields[3], line_number), number(fields[4], line_number)};
    try {
      check_item(item);
    } catch (const ShopError& e) {
      throw Error("seed catalog line " + std::to_string(line_number) + ": " + e.what());
    }
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace tlshop::shop
