#pragma once

#include <ctime>
#include <filesystem>
#include <string>

namespace tlshop::test {

// Leaves a real tlshop CA would never issue, made with that CA's intermediate key so
// tests can show how servers and clients treat them.
struct OddLeaf {
  std::string name;
  std::string eku = "clientAuth";  // "clientAuth", "serverAuth" or "" for none
  std::time_t not_before = std::time(nullptr) - 300;
  std::time_t not_after = std::time(nullptr) + 86400;
  bool self_signed = false;
};

// Writes NAME.crt (leaf + intermediate, or the lone leaf if self-signed) and NAME.key
// into out_dir, signed by the intermediate of the CA in ca_dir.
void write_odd_leaf(const std::filesystem::path& ca_dir, const OddLeaf& leaf,
                    const std::filesystem::path& out_dir);

// Writes a CRL signed by the intermediate of the CA in ca_dir, revoking nothing, whose
// next update has passed: what a server holds when nobody re-signed it in time.
void write_expired_crl(const std::filesystem::path& ca_dir, const std::filesystem::path& out);

}  // namespace tlshop::test
