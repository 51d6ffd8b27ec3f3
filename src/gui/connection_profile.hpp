#pragma once

#include <QSettings>
#include <QString>

namespace tlshop::gui {

// Where the shop is and who to be there: what the Connect panel edits and QSettings
// remembers. Never a password or a key's passphrase.
struct ConnectionProfile {
  QString server = "localhost:5555";  // HOST:PORT
  QString ca;                         // the tlshop CA's root certificate (PEM)
  QString certificate;                // this client's certificate chain (PEM) ...
  QString key;                        // ... and its key (PEM), or:
  QString pkcs12;                     // both in a PKCS#12 file (tlshop ca export-p12)
  QString pin;                        // optional: "sha256//BASE64" of the server's key

  static ConnectionProfile load(QSettings& settings);
  void save(QSettings& settings) const;
  bool operator==(const ConnectionProfile&) const = default;
};

}  // namespace tlshop::gui
