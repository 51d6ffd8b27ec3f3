#pragma once

#include <string_view>

namespace tlshop::shop {

// The original shop's 25 items in 5 categories (data/seed-catalog.csv), built in.
std::string_view default_seed_catalog_csv();

}  // namespace tlshop::shop
