#include "pki/pkcs12.hpp"

#include <gtest/gtest.h>

#include "test_authority.hpp"

namespace tlshop::pki {
namespace {

TEST(Pkcs12, OpensOnlyWithItsPasswordAndHoldsKeyAndChain) {
  test::TestAuthority authority;
  PrivateKey key = PrivateKey::generate(KeyType::kEcP256);
  Certificate leaf = authority.leaf(key, "alice", "clientAuth");
  std::string der = make_pkcs12(key, {leaf, authority.intermediate}, "p12 secret", "alice");

  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(der.data());
  UniquePtr<PKCS12> p12(d2i_PKCS12(nullptr, &cursor, static_cast<long>(der.size())));
  ASSERT_TRUE(p12);
  EXPECT_EQ(PKCS12_verify_mac(p12.get(), "wrong", -1), 0);
  EXPECT_EQ(PKCS12_verify_mac(p12.get(), "p12 secret", -1), 1);

  EVP_PKEY* parsed_key = nullptr;
  X509* parsed_cert = nullptr;
  STACK_OF(X509)* extra = nullptr;
  ASSERT_EQ(PKCS12_parse(p12.get(), "p12 secret", &parsed_key, &parsed_cert, &extra), 1);
  UniquePtr<EVP_PKEY> owned_key(parsed_key);
  UniquePtr<X509> owned_cert(parsed_cert);
  UniquePtr<STACK_OF(X509)> owned_extra(extra);
  EXPECT_EQ(EVP_PKEY_eq(parsed_key, key.get()), 1);
  EXPECT_EQ(X509_cmp(parsed_cert, leaf.get()), 0);
  ASSERT_EQ(sk_X509_num(extra), 1);
  EXPECT_EQ(X509_cmp(sk_X509_value(extra, 0), authority.intermediate.get()), 0);
}

}  // namespace
}  // namespace tlshop::pki
