#include "server/catalog_pages.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace tlshop::server {
namespace {

TEST(CatalogPages, AHeldPageServesUntilTheCatalogMoves) {
  CatalogPages pages;
  EXPECT_FALSE(pages.find("category=Shoes", 1));
  pages.keep("category=Shoes", 1, "shoes v1");
  EXPECT_EQ(pages.find("category=Shoes", 1), "shoes v1");
  EXPECT_FALSE(pages.find("category=Toys", 1));
  EXPECT_FALSE(pages.find("category=Shoes", 2));  // a purchase moved the version
  EXPECT_FALSE(pages.find("category=Shoes", 1));  // and the old pages are gone for good
}

TEST(CatalogPages, APageComputedForAnOldVersionIsNotKept) {
  CatalogPages pages;
  pages.keep("category=Shoes", 2, "shoes v2");
  pages.keep("category=Shoes", 1, "shoes v1, computed before the change");
  EXPECT_EQ(pages.find("category=Shoes", 2), "shoes v2");
}

TEST(CatalogPages, PagesStayWithinCapacity) {
  CatalogPages pages(std::chrono::milliseconds(50), 2);
  pages.keep("a", 1, "A");
  pages.keep("b", 1, "B");
  pages.keep("c", 1, "C");  // over capacity: starts again
  EXPECT_FALSE(pages.find("a", 1));
  EXPECT_EQ(pages.find("c", 1), "C");
}

TEST(CatalogPages, PagesAgeOutAfterMaxAge) {
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  CatalogPages pages(std::chrono::milliseconds(50), 8, [&] { return now; });
  pages.keep("c", 1, "C");
  now += std::chrono::milliseconds(49);
  EXPECT_EQ(pages.find("c", 1), "C");
  now += std::chrono::milliseconds(1);
  EXPECT_FALSE(pages.find("c", 1));  // changed behind the server's back, perhaps
}

}  // namespace
}  // namespace tlshop::server
