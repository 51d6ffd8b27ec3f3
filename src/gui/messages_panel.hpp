#pragma once

#include <QComboBox>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QWidget>
#include <vector>

#include "tlshop/api/messages.hpp"

namespace tlshop::gui {

// Device messages, as the original client sent them: an XML or JSON document stored by
// the server under this client's certificate, and the logbook of those stored.
class MessagesPanel : public QWidget {
  Q_OBJECT

 public:
  explicit MessagesPanel(QWidget* parent = nullptr);

  void show_logbook(const std::vector<api::StoredMessage>& messages);
  int logbook_size() const { return logbook_->rowCount(); }

 signals:
  void sendRequested(const QString& body, const QString& content_type);
  void refreshRequested();

 private:
  QComboBox* format_;
  QPlainTextEdit* body_;
  QTableWidget* logbook_;
};

}  // namespace tlshop::gui
