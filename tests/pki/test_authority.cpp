#include "test_authority.hpp"

#include <atomic>

#include "pki/certificate_builder.hpp"
#include "pki/x509_fields.hpp"

namespace tlshop::pki::test {
namespace {

Certificate make_ca(const std::string& name, const PrivateKey& key, const PrivateKey& issuer_key,
                    const Certificate* issuer) {
  auto subject = make_name(name, "test");
  CertificateTemplate spec;
  spec.subject = subject.get();
  spec.public_key = key.get();
  spec.serial_hex = next_serial();
  spec.not_before = std::time(nullptr) - 60;
  spec.not_after = std::time(nullptr) + 86400 * 30;
  spec.is_ca = true;
  spec.path_length = issuer == nullptr ? 1 : 0;
  spec.key_usage = "critical,keyCertSign,cRLSign";
  return build_certificate(spec, issuer_key, issuer);
}

}  // namespace

std::string next_serial() {
  static std::atomic<int> serial{0x1000};
  return normalise_serial(std::to_string(++serial));
}

TestAuthority::TestAuthority()
    : root(make_ca("Test Root", root_key, root_key, nullptr)),
      intermediate(make_ca("Test Intermediate", intermediate_key, root_key, &root)) {}

Certificate TestAuthority::leaf(const PrivateKey& key, const std::string& name,
                                const std::string& eku, std::time_t not_before,
                                std::time_t not_after) const {
  auto subject = make_name(name, "");
  CertificateTemplate spec;
  spec.subject = subject.get();
  spec.public_key = key.get();
  spec.serial_hex = next_serial();
  spec.not_before = not_before;
  spec.not_after = not_after;
  spec.key_usage = "critical,digitalSignature";
  spec.extended_key_usage = eku;
  spec.alt_names = {{AltName::Kind::kDns, name}};
  return build_certificate(spec, intermediate_key, &intermediate);
}

Certificate TestAuthority::leaf(const PrivateKey& key, const std::string& name,
                                const std::string& eku) const {
  return leaf(key, name, eku, std::time(nullptr) - 60, std::time(nullptr) + 86400);
}

}  // namespace tlshop::pki::test
