#include "tlshop/result.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ca/certificate_authority.hpp"
#include "support/issued_files.hpp"
#include "support/temp_dir.hpp"
#include "tlshop/client.hpp"

namespace tlshop::client {
namespace {

// A port on 127.0.0.1 where nothing listens: bound, then closed.
std::uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class ResultTest : public ::testing::Test {
 protected:
  test::TempDir temp;
  ca::CertificateAuthority authority = ca::CertificateAuthority::init(temp / "ca", {});

  ConnectionSettings alice() {
    authority.issue(ca::LeafProfile::kClient, "alice", {}, pki::KeyType::kEcP256, 30,
                    test::deliver_to(temp.path()));
    ConnectionSettings settings;
    settings.set_server("127.0.0.1:" + std::to_string(closed_port()));
    settings.ca = temp / "ca" / "root.crt";
    settings.certificate = temp / "alice.crt";
    settings.key = temp / "alice.key";
    settings.timeout = std::chrono::seconds(5);
    return settings;
  }
};

TEST_F(ResultTest, AFailedCallIsAnErrorCodeOfItsKind) {
  Client client(alice());
  auto hello = attempt([&] { return client.hello(); });
  ASSERT_FALSE(hello);
  EXPECT_EQ(hello.error_code(), ClientErrorKind::kUnreachable);
  EXPECT_STREQ(hello.error_code().category().name(), "tlshop.client");
  EXPECT_EQ(hello.error_code().message(), "the server cannot be reached");
  EXPECT_NE(std::string(hello.error().what()).find("cannot reach 127.0.0.1:"), std::string::npos);
  EXPECT_THROW(hello.value(), ClientError);

  auto logout = attempt([&] { client.logout(); });
  EXPECT_EQ(logout.error_code(), ClientErrorKind::kUnreachable);
}

TEST_F(ResultTest, AMissingKeyIsAConfigurationError) {
  ConnectionSettings settings = alice();
  settings.key = temp / "nosuch.key";
  auto client = attempt([&] { return Client(settings); });
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error_code(), ClientErrorKind::kConfiguration);
  EXPECT_NE(client.error_code(), std::errc::connection_refused);
}

TEST_F(ResultTest, AValueIsKeptWithNoError) {
  auto answer = attempt([] { return std::string("42"); });
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer.value(), "42");
  EXPECT_FALSE(answer.error_code());
}

}  // namespace
}  // namespace tlshop::client
