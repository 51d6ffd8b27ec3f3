#include "pki/certificate_request.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tlshop/error.hpp"

namespace tlshop::pki {
namespace {

TEST(CertificateRequest, CarriesNameAndAltNamesAndVerifies) {
  PrivateKey key = PrivateKey::generate(KeyType::kEcP256);
  auto request = CertificateRequest::create(key, "shop.example", {AltName::parse("IP:127.0.0.1")});
  auto parsed = CertificateRequest::from_pem(request.to_pem(), "req.csr");
  EXPECT_TRUE(parsed.signature_is_valid());
  EXPECT_EQ(parsed.subject(), "CN=shop.example");
  EXPECT_EQ(parsed.requested_alt_names(), std::vector<AltName>{AltName::parse("IP:127.0.0.1")});
  EXPECT_EQ(EVP_PKEY_eq(parsed.public_key(), key.get()), 1);
}

TEST(CertificateRequest, AlteredRequestFailsItsSignature) {
  PrivateKey key = PrivateKey::generate(KeyType::kEcP256);
  auto request = CertificateRequest::create(key, "alice", {});
  // Change one letter of the signed subject, as an attacker editing the request would.
  unsigned char* der = nullptr;
  int length = i2d_X509_REQ(request.get(), &der);
  std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  bytes[bytes.find("alice")] = 'b';
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(bytes.data());
  CertificateRequest altered(UniquePtr<X509_REQ>(d2i_X509_REQ(nullptr, &cursor, length)));
  ASSERT_NE(altered.get(), nullptr);
  EXPECT_EQ(altered.subject(), "CN=blice");
  EXPECT_FALSE(altered.signature_is_valid());
}

TEST(CertificateRequest, RefusesNonPemAndDamagedInput) {
  EXPECT_THROW(CertificateRequest::from_pem("not a request", "x.csr"), Error);
  EXPECT_THROW(CertificateRequest::from_pem(
                   "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                   "x.csr"),
               Error);
}

}  // namespace
}  // namespace tlshop::pki
