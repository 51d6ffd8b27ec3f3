#pragma once

#include <string>

namespace tlshop::server {

// Tells the service manager that started the server (systemd, with Type=notify) what the
// server is doing, so that `systemctl start` returns once it listens and `reload` once
// the new material is in use. Does nothing when no service manager asked
// ($NOTIFY_SOCKET unset), as when started by hand.
void notify_ready(const std::string& status);
void notify_reloading();
void notify_stopping(const std::string& status);

// Whether stderr is the systemd journal ($JOURNAL_STREAM names it), as when systemd
// started the server: its logs can then go to the journal too.
bool stderr_is_journal();

}  // namespace tlshop::server
