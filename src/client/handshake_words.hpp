#pragma once

#include <filesystem>
#include <string>

namespace tlshop::client {

// Why a server's certificate was not trusted, in the words of someone who set up the
// client rather than OpenSSL's ("unable to get local issuer certificate"), with the fix
// where there is one. `verify_result` is SSL_get_verify_result's; `ca` the trusted root.
std::string untrusted_server_words(long verify_result, const std::filesystem::path& ca);

// Whether an OpenSSL error from the handshake means the peer does not speak TLS at
// all: a plain HTTP server, an SSH daemon, anything else on that port.
bool is_not_tls(unsigned long openssl_error);

}  // namespace tlshop::client
