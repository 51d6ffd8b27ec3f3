#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "base/staged_files.hpp"

namespace tlshop::cli {

// Files a command hands to its user. Existing files are never overwritten, and if the
// command fails before commit() none of its files appear.
class OutputFiles {
 public:
  // Throws if path exists or its directory is missing or not writable, before any work.
  static void check_writable(const std::filesystem::path& path);

  void stage(const std::filesystem::path& path, std::string_view data, mode_t mode);
  void commit() { staged_.commit(); }

 private:
  StagedFiles staged_;
};

// A file name made from a certificate's name: "*" becomes "wildcard" and any character
// but letters, digits, '.', '-' and '_' becomes '_', so "*.shop.example" gives
// "wildcard.shop.example" and no name reaches outside the directory.
std::string file_stem_for(std::string_view name);

}  // namespace tlshop::cli
