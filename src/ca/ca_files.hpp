#pragma once

#include <filesystem>
#include <string>

namespace tlshop::ca {

// The files of a CA directory. root.key is only needed by `init` and to rotate the
// intermediate, so it can live offline; everything else signs with the intermediate.
struct CaFiles {
  std::filesystem::path dir;

  std::filesystem::path root_certificate() const { return dir / "root.crt"; }
  std::filesystem::path root_key() const { return dir / "root.key"; }
  std::filesystem::path intermediate_certificate() const { return dir / "intermediate.crt"; }
  std::filesystem::path intermediate_key() const { return dir / "intermediate.key"; }
  // intermediate.crt followed by root.crt: the bundle a server trusts client certificates by.
  std::filesystem::path chain() const { return dir / "ca-chain.crt"; }
  std::filesystem::path crl() const { return dir / "crl.pem"; }
  std::filesystem::path records() const { return dir / "records.json"; }
  std::filesystem::path issued() const { return dir / "issued"; }
  // Intermediates replaced by `rotate-intermediate`, kept while certificates they signed
  // may still be in use: retired/SERIAL.crt and retired/SERIAL.key.
  std::filesystem::path retired() const { return dir / "retired"; }
  std::filesystem::path retired_certificate(const std::string& serial) const {
    return retired() / (serial + ".crt");
  }
  std::filesystem::path retired_key(const std::string& serial) const {
    return retired() / (serial + ".key");
  }
  std::filesystem::path lock() const { return dir / ".lock"; }
};

}  // namespace tlshop::ca
