#include "api/routes.hpp"

#include <gtest/gtest.h>

namespace tlshop::api::routes {
namespace {

TEST(RouteLabels, ComeFromTheRouteTableOnly) {
  EXPECT_EQ(label_for("/v1/hello"), "/v1/hello");
  EXPECT_EQ(label_for("/v1/receipt/close"), "/v1/receipt/close");
  EXPECT_EQ(label_for("/v1/items/101"), "/v1/items/{sku}");
  EXPECT_EQ(label_for("/v1/admin/items/anything-at-all"), "/v1/admin/items/{sku}");
  EXPECT_EQ(label_for("/v1/admin/users/alice/password"), "/v1/admin/users/{name}/password");
  // Whatever a peer sends, the label is one of a fixed few.
  EXPECT_EQ(label_for("/v1/admin/items/\"} 1\nfake_metric{a=\"b"), "/v1/admin/items/{sku}");
  EXPECT_EQ(label_for("/v1/admin/users/alice"), "other");
  EXPECT_EQ(label_for("/v1/items/"), "other");
  EXPECT_EQ(label_for("/v1/hellox"), "other");
  EXPECT_EQ(label_for("/etc/passwd"), "other");
  EXPECT_EQ(label_for(""), "other");
}

}  // namespace
}  // namespace tlshop::api::routes
