#include "gui/window_pictures.hpp"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QListWidget>
#include <QPushButton>
#include <QTableView>
#include <QTextStream>
#include <QThread>
#include <functional>

namespace tlshop::gui {
namespace {

// Runs the event loop until `done` holds or the window reports a failure.
bool wait_for(MainWindow& window, const std::function<bool()>& done, const QString& what) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (window.failed() || clock.elapsed() > 20000) {
      QTextStream(stderr) << "tlshop-gui: no pictures: waiting for " << what << ": "
                          << window.status() << "\n";
      return false;
    }
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(10);
  }
  return true;
}

bool make_session(MainWindow& window) {
  window.connect_and_log_in(true);
  if (!wait_for(
          window, [&] { return window.status().startsWith("Logged in"); }, "the login")) {
    return false;
  }
  auto* categories = window.findChild<QListWidget*>("categories");
  categories->setCurrentRow(0);
  auto* items = window.findChild<QTableView*>("items");
  if (!wait_for(
          window, [&] { return items->model()->rowCount() > 0; }, "the items")) {
    return false;
  }
  items->selectRow(0);
  window.findChild<QPushButton*>("buy")->click();
  if (!wait_for(
          window, [&] { return window.status().startsWith("Bought"); }, "the purchase")) {
    return false;
  }
  window.findChild<QPushButton*>("send_message")->click();
  return wait_for(
      window, [&] { return window.messages_panel()->logbook_size() > 0; }, "the logbook");
}

}  // namespace

int save_window_pictures(MainWindow& window, const QDir& folder) {
  if (!make_session(window)) return 1;
  const char* names[] = {"connect", "shop", "receipt", "messages", "connection"};
  for (int tab = 0; tab < window.tabs()->count(); ++tab) {
    window.tabs()->setCurrentIndex(tab);
    if (!wait_for(
            window, [&] { return !window.busy(); }, "the last answers"))
      return 1;
    QString file = folder.filePath(QString("tlshop-gui-%1.png").arg(names[tab]));
    if (!window.grab().save(file)) {
      QTextStream(stderr) << "tlshop-gui: cannot write " << file << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace tlshop::gui
