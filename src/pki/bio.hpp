#pragma once

#include <string>
#include <string_view>

#include "pki/openssl_handles.hpp"

namespace tlshop::pki {

// A read-only memory BIO over data, which must outlive it.
UniquePtr<BIO> memory_bio(std::string_view data);
UniquePtr<BIO> empty_memory_bio();
std::string bio_contents(BIO* bio);

}  // namespace tlshop::pki
