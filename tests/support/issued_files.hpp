#pragma once

#include <filesystem>
#include <string>

#include "base/files.hpp"
#include "ca/certificate_authority.hpp"

namespace tlshop::test {

// Where CertificateAuthority::issue delivers a leaf in tests: NAME.key (0600) and NAME.crt
// (the chain, leaf first) in dir, NAME being the leaf's common name.
inline ca::CertificateAuthority::DeliverLeafFunction deliver_to(std::filesystem::path dir) {
  return [dir = std::move(dir)](const pki::PrivateKey& key, const ca::IssuedChain& chain) {
    std::string name = chain.front().common_name();
    write_file_atomically(dir / (name + ".key"), key.to_pem(), kSecretFileMode);
    write_file_atomically(dir / (name + ".crt"), pki::chain_to_pem(chain));
  };
}

}  // namespace tlshop::test
