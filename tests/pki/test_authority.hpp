#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "pki/certificate.hpp"
#include "pki/private_key.hpp"

namespace tlshop::pki::test {

// A root and an intermediate built in memory with the pki layer, for tests of that layer.
struct TestAuthority {
  PrivateKey root_key = PrivateKey::generate(KeyType::kEcP256);
  PrivateKey intermediate_key = PrivateKey::generate(KeyType::kEcP256);
  Certificate root;
  Certificate intermediate;

  TestAuthority();

  // A leaf signed by the intermediate; eku is "serverAuth", "clientAuth" or "".
  Certificate leaf(const PrivateKey& key, const std::string& name, const std::string& eku,
                   std::time_t not_before, std::time_t not_after) const;
  Certificate leaf(const PrivateKey& key, const std::string& name, const std::string& eku) const;
};

std::string next_serial();

}  // namespace tlshop::pki::test
