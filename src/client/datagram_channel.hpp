#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "tlshop/connection_settings.hpp"

namespace tlshop::client {

class Channel;

// The UDP transport: the datagram protocol (docs/protocol.md) over DTLS 1.2.
std::shared_ptr<Channel> make_datagram_channel(const boost::asio::any_io_executor& executor,
                                               ConnectionSettings settings);

}  // namespace tlshop::client
