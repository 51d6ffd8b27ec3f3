#pragma once

#include <QDir>

#include "gui/main_window.hpp"

namespace tlshop::gui {

// Connects and logs in with what the window's Connect tab holds, makes a short session
// (a category, a purchase, a device message), and saves a picture of each tab in
// `folder` (tlshop-gui-connect.png, ...). Returns 0, or 1 with the failure on stderr.
int save_window_pictures(MainWindow& window, const QDir& folder);

}  // namespace tlshop::gui
