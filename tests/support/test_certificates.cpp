#include "support/test_certificates.hpp"

#include <openssl/rand.h>

#include "base/files.hpp"
#include "pki/certificate_builder.hpp"
#include "pki/revocation_list.hpp"
#include "pki/x509_fields.hpp"

namespace tlshop::test {

namespace {

struct IssuingCa {
  pki::Certificate certificate;
  pki::PrivateKey key;
};

IssuingCa read_intermediate(const std::filesystem::path& ca_dir) {
  return {pki::Certificate::from_pem(read_file(ca_dir / "intermediate.crt"), "intermediate.crt"),
          pki::PrivateKey::from_pem(read_file(ca_dir / "intermediate.key"), std::nullopt,
                                    "intermediate.key")};
}

}  // namespace

void write_odd_leaf(const std::filesystem::path& ca_dir, const OddLeaf& leaf,
                    const std::filesystem::path& out_dir) {
  auto [intermediate, intermediate_key] = read_intermediate(ca_dir);
  auto key = pki::PrivateKey::generate(pki::KeyType::kEcP256);
  auto subject = pki::make_name(leaf.name, "");
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x3f;
  serial[0] |= 0x10;
  pki::CertificateTemplate spec;
  spec.subject = subject.get();
  spec.public_key = key.get();
  spec.serial_hex = pki::normalise_serial(pki::to_hex(serial, sizeof serial));
  spec.not_before = leaf.not_before;
  spec.not_after = leaf.not_after;
  spec.key_usage = "critical,digitalSignature";
  spec.extended_key_usage = leaf.eku;
  spec.alt_names = {{pki::AltName::Kind::kDns, leaf.name}};
  std::string chain;
  if (leaf.self_signed) {
    chain = pki::build_certificate(spec, key, nullptr).to_pem();
  } else {
    chain = pki::build_certificate(spec, intermediate_key, &intermediate).to_pem() +
            intermediate.to_pem();
  }
  write_file_atomically(out_dir / (leaf.name + ".crt"), chain);
  write_file_atomically(out_dir / (leaf.name + ".key"), key.to_pem(), kSecretFileMode);
}

void write_expired_crl(const std::filesystem::path& ca_dir, const std::filesystem::path& out) {
  auto [intermediate, intermediate_key] = read_intermediate(ca_dir);
  pki::RevocationList::Contents contents;
  std::time_t now = std::time(nullptr);
  contents.number = 1000;
  contents.this_update = now - 2 * 86400;
  contents.next_update = now - 86400;
  write_file_atomically(
      out, pki::RevocationList::issue(intermediate, intermediate_key, contents).to_pem());
}

}  // namespace tlshop::test
