// tlshop-gui: the shop and the device messages in a desktop window.
#include <QApplication>
#include <QSettings>

#include "gui/main_window.hpp"

int main(int argc, char** argv) {
  QApplication application(argc, argv);
  QApplication::setOrganizationName("tlshop");
  QApplication::setApplicationName("tlshop-gui");
  QSettings settings;
  tlshop::gui::MainWindow window(settings);
  window.show();
  return QApplication::exec();
}
