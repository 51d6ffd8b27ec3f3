#include "pki/alt_name.hpp"

#include <gtest/gtest.h>

#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

TEST(AltName, ParsesTheFourKinds) {
  EXPECT_EQ(AltName::parse("DNS:shop.example"), (AltName{AltName::Kind::kDns, "shop.example"}));
  EXPECT_EQ(AltName::parse("dns:localhost"), (AltName{AltName::Kind::kDns, "localhost"}));
  EXPECT_EQ(AltName::parse("IP:127.0.0.1"), (AltName{AltName::Kind::kIp, "127.0.0.1"}));
  EXPECT_EQ(AltName::parse("IP:::1"), (AltName{AltName::Kind::kIp, "::1"}));
  EXPECT_EQ(AltName::parse("URI:urn:tlshop:client:a"),
            (AltName{AltName::Kind::kUri, "urn:tlshop:client:a"}));
  EXPECT_EQ(AltName::parse("email:a@b.example").to_string(), "email:a@b.example");
}

TEST(AltName, RefusesMalformedNames) {
  for (const char* bad :
       {"shop.example", "DNS:", "DNS:bad..name", "DNS:-bad.example", "DNS:has space",
        "IP:999.1.1.1", "IP:localhost", "URI:no-scheme", "RID:1.2.3",
        "DNS:"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x"}) {
    EXPECT_THROW(AltName::parse(bad), Error) << bad;
  }
}

TEST(AltName, SurvivesARoundTripThroughGeneralNames) {
  std::vector<AltName> names{AltName::parse("DNS:*.shop.example"), AltName::parse("IP:10.0.0.1"),
                             AltName::parse("IP:2001:db8::1"),
                             AltName::parse("URI:https://x.example/")};
  auto general = to_general_names(names);
  EXPECT_EQ(from_general_names(general.get()), names);
}

}  // namespace
}  // namespace tlshop::pki
