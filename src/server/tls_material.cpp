#include "server/tls_material.hpp"

#include <sys/stat.h>

namespace tlshop::server {

TlsMaterial::TlsMaterial(tls::ServerTlsSettings settings)
    : settings_(std::move(settings)),
      current_(tls::ServerTlsContext::load(settings_)),
      signature_(files_signature()) {}

void TlsMaterial::reload() { current_.store(tls::ServerTlsContext::load(settings_)); }

bool TlsMaterial::files_changed() {
  std::string signature = files_signature();
  if (signature == signature_) return false;
  signature_ = signature;
  return true;
}

std::string TlsMaterial::files_signature() const {
  std::string signature;
  for (const auto* path :
       {&settings_.certificate, &settings_.key, &settings_.client_ca, &settings_.crl}) {
    struct stat info {};
    if (path->empty() || ::stat(path->c_str(), &info) != 0) {
      signature += "-;";
      continue;
    }
    signature += std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
                 std::to_string(info.st_mtim.tv_nsec) + ":" + std::to_string(info.st_ino) + ";";
  }
  return signature;
}

}  // namespace tlshop::server
