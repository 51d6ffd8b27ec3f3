#pragma once

#include <string_view>
#include <vector>

#include "shop/shop_types.hpp"

namespace tlshop::shop {

// Parses the seed catalog CSV (header: sku,category,name,stock,unit_price; prices in the
// smallest currency unit). Throws tlshop::Error naming the line at fault.
std::vector<Item> parse_seed_catalog(std::string_view csv);

// Throws ShopError(kInvalid) if an item's fields are out of bounds: sku 1-32 of
// [A-Za-z0-9._-], name and category 1-64 printable characters, stock and price 0 to 10^12.
void check_item(const Item& item);

}  // namespace tlshop::shop
