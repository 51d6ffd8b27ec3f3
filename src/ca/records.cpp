#include "ca/records.hpp"

#include <boost/json.hpp>

#include "base/files.hpp"
#include "tlshop/error.hpp"

namespace tlshop::ca {
namespace json = boost::json;
namespace {

constexpr std::int64_t kFormatVersion = 1;

json::object to_json(const IssuedRecord& record) {
  json::object object{
      {"serial", record.serial},           {"subject", record.subject},
      {"profile", record.profile},         {"not_before", record.not_before},
      {"not_after", record.not_after},     {"issued_at", record.issued_at},
      {"fingerprint", record.fingerprint}, {"issuer_serial", record.issuer_serial},
  };
  if (record.revoked_at) {
    object["revoked_at"] = *record.revoked_at;
    object["revocation_reason"] = record.revocation_reason.value_or(0);
  }
  return object;
}

IssuedRecord record_from_json(const json::object& object) {
  IssuedRecord record;
  record.serial = json::value_to<std::string>(object.at("serial"));
  record.subject = json::value_to<std::string>(object.at("subject"));
  record.profile = json::value_to<std::string>(object.at("profile"));
  record.not_before = object.at("not_before").to_number<std::time_t>();
  record.not_after = object.at("not_after").to_number<std::time_t>();
  record.issued_at = object.at("issued_at").to_number<std::time_t>();
  record.fingerprint = json::value_to<std::string>(object.at("fingerprint"));
  record.issuer_serial = json::value_to<std::string>(object.at("issuer_serial"));
  if (const json::value* revoked = object.if_contains("revoked_at")) {
    record.revoked_at = revoked->to_number<std::time_t>();
    record.revocation_reason = object.at("revocation_reason").to_number<int>();
  }
  return record;
}

}  // namespace

std::string IssuedRecord::status(std::time_t now) const {
  if (revoked_at) return "revoked";
  if (now > not_after) return "expired";
  return "valid";
}

IssuedRecord* CaRecords::find(const std::string& serial) {
  for (IssuedRecord& record : issued) {
    if (record.serial == serial) return &record;
  }
  return nullptr;
}

const IssuedRecord* CaRecords::find(const std::string& serial) const {
  return const_cast<CaRecords*>(this)->find(serial);
}

CaRecords CaRecords::load(const std::filesystem::path& path) {
  std::string text = read_file(path, 256 << 20);
  try {
    json::object root = json::parse(text).as_object();
    if (root.at("version").to_number<std::int64_t>() != kFormatVersion) {
      throw Error(path.string() + " has an unsupported format version");
    }
    CaRecords records;
    records.next_crl_number = root.at("next_crl_number").to_number<std::uint64_t>();
    for (const json::value& entry : root.at("certificates").as_array()) {
      records.issued.push_back(record_from_json(entry.as_object()));
    }
    return records;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(path.string() + " is damaged: " + e.what());
  }
}

void CaRecords::save(const std::filesystem::path& path) const {
  json::array certificates;
  for (const IssuedRecord& record : issued) certificates.push_back(to_json(record));
  json::object root{{"version", kFormatVersion},
                    {"next_crl_number", next_crl_number},
                    {"certificates", std::move(certificates)}};
  write_file_atomically(path, json::serialize(root) + "\n", kPublicFileMode);
}

}  // namespace tlshop::ca
