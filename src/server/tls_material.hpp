#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "tls/server_context.hpp"

namespace tlshop::server {

// Holds the TLS context every new handshake uses, and the DTLS context for UDP peers, and
// swaps in new ones on reload(); connections keep the context they started with, so
// nobody is dropped.
class TlsMaterial {
 public:
  // Loads the material once; throws tlshop::Error if it cannot.
  explicit TlsMaterial(tls::ServerTlsSettings settings);

  std::shared_ptr<const tls::ServerTlsContext> current() const { return current_.load(); }
  std::shared_ptr<const tls::ServerTlsContext> current_datagram() const {
    return current_datagram_.load();
  }

  // Loads the files again. On success the new material is in use; on failure the old
  // stays and the reason is thrown as tlshop::Error.
  void reload();

  // True once if a file's size or modification time changed since the last call.
  bool files_changed();

 private:
  std::string files_signature() const;

  tls::ServerTlsSettings settings_;
  std::atomic<std::shared_ptr<const tls::ServerTlsContext>> current_;
  std::atomic<std::shared_ptr<const tls::ServerTlsContext>> current_datagram_;
  std::string signature_;
};

}  // namespace tlshop::server
