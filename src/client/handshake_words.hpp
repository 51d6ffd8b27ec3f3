#pragma once

#include <filesystem>
#include <string>

#include "tlshop/client_error.hpp"
#include "tlshop/connection_settings.hpp"

namespace tlshop::client {

// Why a server's certificate was not trusted, in the words of someone who set up the
// client rather than OpenSSL's ("unable to get local issuer certificate"), with the fix
// where there is one. `verify_result` is SSL_get_verify_result's; `ca` the trusted root.
std::string untrusted_server_words(long verify_result, const std::filesystem::path& ca);

// Whether an OpenSSL error from the handshake means the peer does not speak TLS at
// all: a plain HTTP server, an SSH daemon, anything else on that port.
bool is_not_tls(unsigned long openssl_error);

// "sslv3 alert certificate expired" -> "certificate expired".
std::string alert_words(unsigned long openssl_error);
bool is_alert(unsigned long openssl_error);

// Why a handshake with the server failed, as the error a program gets: the server's
// certificate (verify_result), an alert from the server, or `failure` (OpenSSL's text).
// openssl_error is 0 when the failure was no OpenSSL error.
ClientError handshake_error(const ConnectionSettings& settings, long verify_result,
                            unsigned long openssl_error, const std::string& failure);

}  // namespace tlshop::client
