#pragma once

#include "tls/client_context.hpp"
#include "tlshop/connection_settings.hpp"

namespace tlshop::client {

// What the TLS layer needs of a client's settings; kept out of the public header so that
// programs embedding libtlshop need no OpenSSL headers.
tls::ClientTlsSettings tls_settings(const ConnectionSettings& settings);

}  // namespace tlshop::client
