// make_test_certificate CA_DIR OUT_DIR NAME KIND: writes NAME.crt and NAME.key, a leaf
// of the kind a real tlshop CA refuses to make, for the command-line tests.
// KIND: expired, expires-in-3s, not-yet-valid, no-eku, self-signed; or expired-crl, which writes
// NAME.pem, a CRL past its next update.
#include <cstdio>
#include <string>

#include "support/test_certificates.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: make_test_certificate CA_DIR OUT_DIR NAME KIND\n");
    return 2;
  }
  tlshop::test::OddLeaf leaf;
  leaf.name = argv[3];
  std::string kind = argv[4];
  if (kind == "expired-crl") {
    tlshop::test::write_expired_crl(argv[1], std::string(argv[2]) + "/" + leaf.name + ".pem");
    return 0;
  }
  std::time_t now = std::time(nullptr);
  if (kind == "expired") {
    leaf.not_before = now - 7 * 86400;
    leaf.not_after = now - 86400;
  } else if (kind == "expires-in-3s") {
    leaf.not_after = now + 3;
  } else if (kind == "not-yet-valid") {
    leaf.not_before = now + 86400;
    leaf.not_after = now + 7 * 86400;
  } else if (kind == "no-eku") {
    leaf.eku = "";
  } else if (kind == "self-signed") {
    leaf.self_signed = true;
  } else {
    std::fprintf(stderr, "unknown kind %s\n", kind.c_str());
    return 2;
  }
  tlshop::test::write_odd_leaf(argv[1], leaf, argv[2]);
  return 0;
}
