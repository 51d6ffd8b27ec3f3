#pragma once

#include <QLabel>
#include <QSslConfiguration>
#include <QTreeWidget>
#include <QWidget>

#include "tlshop/api/hello.hpp"

namespace tlshop::gui {

// What a browser's padlock shows: the server's certificate chain (subject, issuer,
// validity, fingerprints), the TLS version and cipher suite, and whether the session
// was resumed (as the server saw it).
class ConnectionPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ConnectionPanel(QWidget* parent = nullptr);

  void show_session(const QSslConfiguration& session, const api::Hello& hello);
  QString summary() const { return summary_->text(); }

 signals:
  void refreshRequested();

 private:
  QLabel* summary_;
  QTreeWidget* chain_;
};

}  // namespace tlshop::gui
