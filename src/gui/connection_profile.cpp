#include "gui/connection_profile.hpp"

namespace tlshop::gui {

ConnectionProfile ConnectionProfile::load(QSettings& settings) {
  ConnectionProfile profile;
  settings.beginGroup("connection");
  profile.server = settings.value("server", profile.server).toString();
  profile.ca = settings.value("ca").toString();
  profile.certificate = settings.value("certificate").toString();
  profile.key = settings.value("key").toString();
  profile.pkcs12 = settings.value("pkcs12").toString();
  profile.pin = settings.value("pin").toString();
  settings.endGroup();
  return profile;
}

void ConnectionProfile::save(QSettings& settings) const {
  settings.beginGroup("connection");
  settings.setValue("server", server);
  settings.setValue("ca", ca);
  settings.setValue("certificate", certificate);
  settings.setValue("key", key);
  settings.setValue("pkcs12", pkcs12);
  settings.setValue("pin", pin);
  settings.endGroup();
}

}  // namespace tlshop::gui
