#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "pki/bio.hpp"
#include "pki/openssl_error.hpp"
#include "tlshop/error.hpp"

namespace tlshop::pki {

// Every object of one kind in a PEM bundle, in order, each read by read_one (a
// PEM_read_bio_* function). Throws tlshop::Error if the text has no `marker` line
// ("-----BEGIN X509 CRL-----"), holds none, or holds a damaged one; `kind` names the
// object in messages ("certificate").
template <typename Object, typename ReadOne>
std::vector<Object> read_pem_objects(std::string_view pem, const std::string& source,
                                     std::string_view marker, const std::string& kind,
                                     ReadOne read_one) {
  if (pem.find(marker) == std::string_view::npos) throw Error(source + " is not a PEM " + kind);
  auto bio = memory_bio(pem);
  std::vector<Object> objects;
  while (auto* raw = read_one(bio.get(), nullptr, nullptr, nullptr)) {
    objects.emplace_back(UniquePtr<std::remove_pointer_t<decltype(raw)>>(raw));
  }
  std::string reason = take_openssl_error();
  // Reading stops with "no start line" at the end of the input; anything else is damage.
  if (objects.empty() || (!reason.empty() && reason != "no start line")) {
    throw Error(source + " holds a malformed " + kind + (reason.empty() ? "" : ": " + reason));
  }
  return objects;
}

}  // namespace tlshop::pki
