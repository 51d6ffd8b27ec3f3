// tlshop-gui: the shop and the device messages in a desktop window.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QTimer>

#include "gui/main_window.hpp"
#include "gui/window_pictures.hpp"

namespace {

struct Options {
  QCommandLineOption server{"server", "the server, HOST:PORT", "host:port"};
  QCommandLineOption ca{"ca", "the tlshop CA's root certificate (PEM)", "file"};
  QCommandLineOption certificate{"cert", "this client's certificate chain (PEM)", "file"};
  QCommandLineOption key{"key", "its private key (PEM)", "file"};
  QCommandLineOption pin{"pin", "the server's public key pin (sha256//BASE64)", "pin"};
  QCommandLineOption user{"user", "the shop user to log in as", "name"};
  QCommandLineOption password_file{"password-file",
                                   "a file whose first line is the user's password", "file"};
  QCommandLineOption connect{"connect", "connect at once (and log in, given a password file)"};
  QCommandLineOption settings{"settings", "keep the settings in this file, not the user's own",
                              "file"};
  QCommandLineOption pictures{"pictures", "save a picture of each tab in the folder, then quit",
                              "folder"};
};

QString first_line(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  return QString::fromUtf8(file.readLine()).trimmed();
}

}  // namespace

int main(int argc, char** argv) {
  QApplication application(argc, argv);
  QApplication::setOrganizationName("tlshop");
  QApplication::setApplicationName("tlshop-gui");
  QApplication::setApplicationVersion(TLSHOP_VERSION);

  Options options;
  QCommandLineParser parser;
  parser.setApplicationDescription(
      "tlshop-gui: the tlshop shop and device messages in a window, over mutually "
      "authenticated TLS 1.3. Options fill in the Connect tab; the window remembers what "
      "was given there, except passwords.");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addOptions({options.server, options.ca, options.certificate, options.key, options.pin,
                     options.user, options.password_file, options.connect, options.settings,
                     options.pictures});
  parser.process(application);

  std::unique_ptr<QSettings> settings =
      parser.isSet(options.settings)
          ? std::make_unique<QSettings>(parser.value(options.settings), QSettings::IniFormat)
          : std::make_unique<QSettings>();
  tlshop::gui::MainWindow window(*settings);
  tlshop::gui::ConnectPanel* form = window.connect_panel();
  tlshop::gui::ConnectionProfile profile = form->profile();
  auto take = [&](const QCommandLineOption& option, QString& field) {
    if (parser.isSet(option)) field = parser.value(option);
  };
  take(options.server, profile.server);
  take(options.ca, profile.ca);
  take(options.certificate, profile.certificate);
  take(options.key, profile.key);
  take(options.pin, profile.pin);
  form->set_profile(profile);
  if (parser.isSet(options.user)) {
    form->set_user(parser.value(options.user), parser.isSet(options.password_file)
                                                   ? first_line(parser.value(options.password_file))
                                                   : QString());
  }
  window.show();
  if (parser.isSet(options.pictures)) {
    return tlshop::gui::save_window_pictures(window, QDir(parser.value(options.pictures)));
  }
  if (parser.isSet(options.connect)) {
    QTimer::singleShot(0, &window,
                       [&] { window.connect_and_log_in(parser.isSet(options.password_file)); });
  }
  return QApplication::exec();
}
