#pragma once

#include <ctime>
#include <string>

#include "shop/store.hpp"

namespace tlshop::test {

// A shop as an earlier tlshop left it, for the upgrade tests of both stores, written in
// plain SQL that the schema of every earlier version takes: alice, who bought 2 of the
// 3 + 2 phones ("101") under the Idempotency-Key "k"; and three sessions of hers, one
// expired by `now`, the one that expires last written first.
std::string earlier_shop_sql(bool postgresql, std::time_t now);

// Checks, with gtest, that an upgraded store still holds that shop: the key replays
// the same line, the receipt keeps its total, and a login ends the expired session and
// then, past a share of two, the session that expires first.
void expect_earlier_shop_kept(shop::Store& store, std::time_t now);

}  // namespace tlshop::test
