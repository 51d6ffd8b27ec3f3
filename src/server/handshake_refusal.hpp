#pragma once

#include <openssl/ssl.h>

#include <string>

#include "tls/refusal.hpp"

namespace tlshop::server {

struct ServerState;

// Counts a refused handshake and writes it to the audit log (through the repeat
// summary): the reason, `detail`, and the certificate the peer presented, if any. The
// same for TCP and UDP peers.
void report_refusal(ServerState& state, const SSL* ssl, tls::Refusal refusal,
                    const std::string& remote, const std::string& source,
                    const std::string& detail);

}  // namespace tlshop::server
