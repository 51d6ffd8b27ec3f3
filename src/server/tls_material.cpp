#include "server/tls_material.hpp"

#include <sys/stat.h>

namespace tlshop::server {

namespace {

tls::ServerTlsSettings for_datagrams(tls::ServerTlsSettings settings) {
  settings.datagram = true;
  return settings;
}

}  // namespace

TlsMaterial::TlsMaterial(tls::ServerTlsSettings settings)
    : settings_(std::move(settings)),
      current_(tls::ServerTlsContext::load(settings_)),
      current_datagram_(tls::ServerTlsContext::load(for_datagrams(settings_))),
      signature_(files_signature()) {}

void TlsMaterial::reload() {
  auto stream = tls::ServerTlsContext::load(settings_);
  auto datagram = tls::ServerTlsContext::load(for_datagrams(settings_));
  current_.store(std::move(stream));
  current_datagram_.store(std::move(datagram));
}

bool TlsMaterial::files_changed() {
  std::string signature = files_signature();
  if (signature == signature_) return false;
  signature_ = signature;
  return true;
}

std::string TlsMaterial::files_signature() const {
  std::string signature;
  for (const auto* path : {&settings_.certificate, &settings_.key, &settings_.client_ca,
                           &settings_.crl, &settings_.ticket_keys}) {
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
